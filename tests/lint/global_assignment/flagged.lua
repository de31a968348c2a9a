-- Assignments that create or change globals.
counter = 0
function handle(msg)
  last_message = msg
end
local t = {}
t.field = 1 -- a field, not a global
return t
