local function greet(name: string): string
  return "hi " .. name
end
return greet("a", "b")
