local uuid = require("uuid")
local function a()
  local json = require("json")
  return json.encode({ id = uuid.v4() })
end
local function b() return 1 end
return { a = a, b = b }
