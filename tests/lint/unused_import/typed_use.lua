-- A module used only in a type annotation counts as used.
local json = require("json")
local function show(v: json.Value): string
  return tostring(v)
end
return { show = show }
