-- Read, `_`-prefixed, recursive, or read by a closure: nothing to report.
local used = 1
print(used)
local _ignored = 2
local _ = 3
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
local counter = 0
local function bump() counter = counter + 1 end
for _, v in pairs({}) do print(v) end
local x <const> = 10
local t = { fact = fact, bump = bump, x = x }
return t
