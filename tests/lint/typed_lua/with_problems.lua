-- Typed Lua is checked like plain Lua: positions are those of the source.
local function greet(name: string, unused: number): string
  local greeting: string = "hello " .. name
  return greting
end
return { greet = greet }
