local json = require("json")
local function parse(text: number)
  return json.decode(text)
end
return parse
