-- A label after goto is reachable; a local `error` is not the global one; branches that may fall through.
for i = 1, 3 do
  if i == 2 then goto continue end
  print(i)
  ::continue::
end
local function error(msg) print(msg) end
error("logged")
print("still running")
local function h(z)
  if z then return 1 end
  return 2
end
return h
