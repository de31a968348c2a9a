-- The `hello` command: spawn a greeter, ask it for a greeting, print it.
local function main(): integer
  local io = require("io")
  local time = require("time")
  local name: string = io.args()[1] or "wippy"

  local greeter, err = process.spawn_linked("app:greeter", "app:processes")
  if not greeter then
    io.print("cannot start the greeter: " .. tostring(err))
    return 1
  end
  process.send(greeter, "greet", {name = name, reply_to = process.pid()})

  local result = channel.select{
    process.inbox():case_receive(),
    time.after("3s"):case_receive(),
  }
  if result.channel ~= process.inbox() then
    io.print("the greeter did not answer in time")
    return 1
  end
  io.print(result.value:payload():data())
  return 0
end

return { main = main }
