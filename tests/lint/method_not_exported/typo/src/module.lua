local M = {}
function M.start() return true end
M["restart"] = function() end
return M
