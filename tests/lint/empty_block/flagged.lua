-- Blocks with nothing in them.
local x = tonumber("1")
if x then
end
if x == 1 then
  print(1)
elseif x == 2 then
else
end
do end
for i = 1, 10 do end
