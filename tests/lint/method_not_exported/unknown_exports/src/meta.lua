local Base = { anything = function() end }
local M = {}
return setmetatable(M, { __index = Base })
