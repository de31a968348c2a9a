-- The `chat` command: USERS bots join the room; once all are in, each says LINES lines; every bot
-- must hear every line, each sender's lines in the order they were said.
local io = require("io")
local time = require("time")
local chat = require("chat")

local function main(): integer
  local args = io.args()
  local users = integer(args[1] or 50)
  local lines = integer(args[2] or 3)
  local expected = users * lines
  local me = process.pid()

  local ready = process.listen("ready")
  local reports = process.listen("report")
  local bots = {}
  for i = 1, users do
    local pid, err = process.spawn("app:bot", "app:processes", string.format("bot%02d", i), lines, expected, me)
    if not pid then
      io.print("error: " .. tostring(err))
      return 1
    end
    bots[i] = pid
  end
  for i = 1, users do
    local _, err = chat.next(ready, "ready from bot " .. i, "30s")
    if err then
      io.print("error: " .. tostring(err))
      return 1
    end
  end
  io.print(string.format("%d bots joined the room", users))

  local started = time.now()
  for _, pid in ipairs(bots) do
    process.send(pid, "go")
  end
  local ok, first = 0, nil
  for _ = 1, users do
    local report, err = chat.next(reports, "report", "60s")
    if not report then
      io.print("error: " .. tostring(err))
      return 1
    end
    if report.in_order and report.heard == expected then
      ok = ok + 1
    end
    if report.nick == "bot01" then
      first = report.first
    end
  end
  local elapsed = time.now():sub(started):milliseconds()

  io.print("what bot01 heard first:")
  for _, line in ipairs(first or {}) do
    io.print("  " .. line)
  end
  io.print(string.format("%d of %d bots heard all %d lines, each sender's lines in order", ok, users, expected))
  io.print(string.format("%d lines relayed to %d members (%d deliveries) in %.0f ms",
    expected, users, expected * users, elapsed))
  return ok == users and 0 or 1
end

return { main = main }
