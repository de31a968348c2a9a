-- A comment inside says the block is empty on purpose; loops that spin or poll are left alone.
local x = tonumber("1")
if x then
  -- nothing to do yet
end
if x then -- handled by the caller
end
while false do end
repeat until true
local f = function() end
return f
