local function id<T>(x: T): T
  return x
end
local n: number = id(1)
local s: string = id("a")
return n, s
