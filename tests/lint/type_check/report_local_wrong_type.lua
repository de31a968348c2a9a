local n: number = "five"
return n
