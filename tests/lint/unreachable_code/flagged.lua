-- Statements that can never run.
local function f(x)
  if x then
    error("bad")
    print("after error")
  end
  do return 1 end
  print("after return")
end
for i = 1, 3 do
  if i then
    goto continue
    print("skipped")
  end
  ::continue::
end
local function g(y)
  if y then return 1 else return 2 end
  print("after if")
end
return { f = f, g = g }
