-- Known functions called with too few or too many arguments.
local time = require("time")
process.send("pid")
process.terminate()
time.sleep()
local s = tostring(1, 2)
local c = channel.new(1, 2)
return { s = s, c = c }
