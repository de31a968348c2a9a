-- Distinct names, `_`-names and methods' `self` are not shadowing.
local _ = 1
local _ = 2
local M = {}
function M:outer()
  local inner = function() return self end
  return inner()
end
local io_module = require("io")
return { M = M, io = io_module }
