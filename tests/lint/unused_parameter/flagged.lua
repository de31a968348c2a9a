-- Parameters the body never reads.
local function handler(msg, sender)
  return msg
end
local t = {}
function t.on(event, data) end
return { handler = handler, on = t.on }
