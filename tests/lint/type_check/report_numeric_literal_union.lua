type Code = 200 | 404
local c: Code = 500
return c
