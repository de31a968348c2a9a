-- The `hits` command: hits the counter service N times (default 3) and prints the count.
local io = require("io")
local rpc = require("rpc")

local function main(): integer
  local n = integer(io.args()[1] or 3)
  local count, err
  for _ = 1, n do
    count, err = rpc.call("counter", "hit", {}, "3s")
    if err then
      io.print("error: " .. tostring(err))
      return 1
    end
  end
  count, err = rpc.call("counter", "count", {}, "3s")
  if err then
    io.print("error: " .. tostring(err))
    return 1
  end
  io.print(string.format("%d hits; the counter has counted %d", n, count))
  return 0
end

return { main = main }
