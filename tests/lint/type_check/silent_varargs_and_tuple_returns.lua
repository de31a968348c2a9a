local function sum(...: number): (number, integer)
  local total = 0
  local count = 0
  for _, v in ipairs({...}) do
    total = total + v
    count = count + 1
  end
  return total, count
end
return sum(1, 2, 3)
