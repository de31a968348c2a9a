local function anything(a, b)
  local t = {}
  t.x = a.y.z
  return b(t.w), a()
end
return anything
