-- The NaN test, calls (which may differ), and different sides are fine.
local x = 0 / 0
if x ~= x then print("nan") end
local t = { a = 1, b = 2 }
if t.a == t.b then print("same") end
if math.random() == math.random() then print("lucky") end
