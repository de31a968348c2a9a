-- The `hello` command: asks the worker service for a greeting and prints it.
local io = require("io")
local client = require("client")

local function main(): integer
  local name: string = io.args()[1] or "world"
  local greeting, err = client.greet(name, "3s")
  if not greeting then
    io.print("error: " .. tostring(err))
    return 1
  end
  io.print(greeting)
  return 0
end

return { main = main }
