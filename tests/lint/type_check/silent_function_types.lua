type Handler = (string, number) -> boolean
local function run(h: Handler): boolean
  return h("a", 1)
end
return run(function(a: string, b: number): boolean
  return #a == b
end)
