type Box<T> = {value: T}
local b: Box<number> = {value = "x"}
return b
