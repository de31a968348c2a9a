local function double(x: number): number
  return x * 2
end
return double("2")
