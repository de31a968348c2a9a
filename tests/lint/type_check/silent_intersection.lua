type Named = {name: string}
type Aged = {age: number}
local function describe(p: Named & Aged): string
  return p.name .. p.age
end
return describe({name = "a", age = 3})
