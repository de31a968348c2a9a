local M = { main = function() end }
for _, name in ipairs({ "dynamic_name" }) do
  M[name] = function() end
end
return M
