local M = {}
function M.scale(x: number, by: number): number
  return x * by
end
local n: number = M.scale(2, 3)
return {M = M, n = n}
