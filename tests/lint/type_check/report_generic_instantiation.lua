local function first<T>(xs: {T}): T
  return xs[1]
end
local n: number = first({"a", "b"})
return n
