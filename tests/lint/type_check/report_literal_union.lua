type Status = "pending" | "done"
local s: Status = "finished"
return s
