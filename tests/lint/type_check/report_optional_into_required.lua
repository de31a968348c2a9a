local function len(s: string): number
  return #s
end
local function maybe(x: string?): number
  return len(x)
end
return maybe
