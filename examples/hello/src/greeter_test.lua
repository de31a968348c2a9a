-- The greeter answers with the name it was given.
local function greets_by_name()
  local time = require("time")
  local greeter = process.spawn_linked("app:greeter", "app:processes")
  process.send(greeter, "greet", {name = "test", reply_to = process.pid()})
  local r = channel.select{ process.inbox():case_receive(), time.after("5s"):case_receive() }
  if r.channel ~= process.inbox() then
    error("no greeting within 5s")
  end
  local text = r.value:payload():data()
  if not string.find(text, "Hello, test!", 1, true) then
    error("unexpected greeting: " .. tostring(text))
  end
  -- Unlink first: terminating a linked process is an abnormal exit that would end this test too.
  process.unlink(greeter)
  process.terminate(greeter)
  return true
end

return { greets_by_name = greets_by_name }
