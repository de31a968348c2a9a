local n: number = 1
n = "two"
return n
