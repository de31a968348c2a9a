type Status = "pending" | "done"
type Code = 200 | 404
local s: Status = "done"
local c: Code = 404
return s, c
