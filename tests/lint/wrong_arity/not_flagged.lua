-- Right counts, open-ended last arguments, and locals that hide the global.
local function args() return 1, 2 end
process.send("pid", "topic", 1, 2, 3)
process.send(args())
process.send(...)
local t = require("time")
t.sleep("1s")
local process = { send = function() end }
process.send()
return t
