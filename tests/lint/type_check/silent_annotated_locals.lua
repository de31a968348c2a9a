local n: number = 1
local s: string = "a"
local b: boolean = true
local i: integer = 3
local f: number = i
return n, s, b, f
