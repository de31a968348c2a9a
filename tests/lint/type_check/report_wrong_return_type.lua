local function label(n: number): string
  return n
end
return label
