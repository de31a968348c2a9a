-- Luau syntax that Lua 5.4 cannot run is a syntax error, not a type annotation.
local n = 1
n += 1
return n
