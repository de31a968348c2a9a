type Point = {x: number, y: number}
local p: Point = {x = 1}
return p
