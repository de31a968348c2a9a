-- A bot member: joins, tells the runner it is ready, waits for "go", says its lines, then counts
-- lines until it has heard `expected` of them, checking that each sender's lines come in order.
-- It reports {nick, heard, in_order, first} to the runner and leaves.
local time = require("time")
local chat = require("chat")

type Line = {seq: integer, nick: string, from: string, text: string}

local function main(nick: string, lines: integer, expected: integer, runner: string)
  local session, err = chat.join(nick, "10s")
  if not session then
    return nil, err
  end
  process.send(runner, "ready", nick)
  local _, go_err = chat.next(process.inbox(), "go", "30s")
  if go_err then
    return nil, go_err
  end
  for i = 1, lines do
    process.send(session.room, "say", {text = string.format("%s says #%d", nick, i)})
  end

  local last_from: {[string]: integer} = {}  -- sender nick -> number of its last line heard
  local in_order = true
  local first: {string} = {}
  -- One deadline for the whole conversation, not a timer per line.
  local deadline = time.after("60s")
  for heard = 1, expected do
    local r = channel.select{ session.lines:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      return nil, errors.new{message = string.format("%s heard %d of %d lines within 60s", nick, heard - 1, expected), kind = errors.TIMEOUT}
    end
    local line = r.value :: Line
    local n = integer(line.text:match("#(%d+)$"))
    if n ~= (last_from[line.nick] or 0) + 1 then
      in_order = false
    end
    last_from[line.nick] = n
    if heard <= 5 then
      table.insert(first, string.format("[%d] %s", line.seq, line.text))
    end
  end
  process.send(runner, "report", {nick = nick, heard = expected, in_order = in_order, first = first})
  process.send(session.room, "leave")
  return "done"
end

return { main = main }
