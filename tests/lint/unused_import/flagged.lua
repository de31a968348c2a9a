-- A module required into a local that is never read.
local time = require("time")
local json = require("json")
return { encode = function(v) return json.encode(v) end }
