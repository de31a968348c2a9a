-- Tests of the worker service (`wippy test` starts it like `wippy run` does).
local time = require("time")
local client = require("client")

-- The worker answers with the name it was given.
local function greets_by_name()
  local greeting, err = client.greet("test", "5s")
  if not greeting then
    error(err)
  end
  if greeting ~= "Hello, test!" then
    error("unexpected greeting: " .. tostring(greeting))
  end
  return true
end

-- A crash does not lose the worker: the runtime restarts it, under the same name and a new PID.
local function restarted_after_a_crash()
  local before, err = client.find("5s")
  if not before then
    error(err)
  end
  process.send(before, "greet", "not a request")
  local deadline = time.after("5s")
  local after = process.registry.lookup("worker")
  while after == nil or after == before do
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      error("the worker was not restarted within 5s")
    end
    after = process.registry.lookup("worker")
  end
  local greeting, greet_err = client.greet("again", "5s")
  if greeting ~= "Hello, again!" then
    error("the restarted worker did not answer: " .. tostring(greeting or greet_err))
  end
  return true
end

return { greets_by_name = greets_by_name, restarted_after_a_crash = restarted_after_a_crash }
