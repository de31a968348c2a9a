-- Comparisons whose sides are the same expression.
local a = { id = 1 }
local n = 3
if a.id == a.id then print("always") end
if n < n then print("never") end
if a.id >= a.id then print("always") end
