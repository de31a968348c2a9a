-- `_`-names, `self` and `...` are never reported; read parameters are fine.
local M = {}
function M:name(_unused, ...)
  return select("#", ...)
end
function M.add(a, b) return a + b end
local cb = function(_, value) return value end
return { M = M, cb = cb }
