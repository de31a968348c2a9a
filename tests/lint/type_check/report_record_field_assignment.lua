type Point = {x: number, y: number}
local p: Point = {x = 1, y = 2}
p.x = "left"
return p
