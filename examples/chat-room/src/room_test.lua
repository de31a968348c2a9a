-- Tests of the room: joining, relaying to every member in order, removal of dead members, and
-- what `unlisten` does to a topic.
local time = require("time")
local chat = require("chat")

type Presence = {nick: string, event: string, why: string?}

local function must(value, err)
  if value == nil then
    error(err, 2)
  end
  return value
end

-- Joining answers with the members, the new one included.
local function join_lists_the_members()
  local session = must(chat.join("tester", "5s"))
  local found = false
  for _, nick in ipairs(session.members) do
    found = found or nick == "tester"
  end
  if not found then
    error("members at join: " .. table.concat(session.members, ", "))
  end
  return true
end

-- Bots and this test join; every bot hears all lines, each sender's in order, and so does the test.
local function every_member_hears_every_line_in_order()
  local users, lines = 8, 4
  local expected = users * lines
  local session = must(chat.join("listener", "5s"))
  local ready = process.listen("ready")
  local reports = process.listen("report")
  local bots = {}
  for i = 1, users do
    bots[i] = must(process.spawn("app:bot", "app:processes", "t" .. i, lines, expected, process.pid()))
  end
  for _ = 1, users do
    must(chat.next(ready, "ready", "10s"))
  end
  for _, pid in ipairs(bots) do
    process.send(pid, "go")
  end
  for _ = 1, users do
    local report = must(chat.next(reports, "report", "10s"))
    if report.heard ~= expected or not report.in_order then
      error(report.nick .. " heard lines out of order")
    end
  end
  -- The test is a member too: it hears the same lines with increasing seq.
  local last_seq = 0
  for _ = 1, expected do
    local line = must(chat.next(session.lines, "line", "10s"))
    if line.seq <= last_seq then
      error("seq went from " .. last_seq .. " to " .. line.seq)
    end
    last_seq = line.seq
  end
  return true
end

-- The next presence news about `nick` (news about other members is skipped).
local function news_of(session, nick: string): Presence
  while true do
    local news = must(chat.next(session.presence, "presence news of " .. nick, "5s")) :: Presence
    if news.nick == nick then
      return news
    end
  end
end

-- A member that is killed without leaving is removed, and the others are told.
local function a_member_that_dies_is_removed()
  local session = must(chat.join("watcher", "5s"))
  local bot = must(process.spawn("app:bot", "app:processes", "doomed", 0, 0, process.pid()))
  must(chat.next(process.listen("ready"), "ready", "5s"))
  local joined = news_of(session, "doomed")
  if joined.event ~= "joined" then
    error("expected doomed to join, got " .. joined.event)
  end
  process.terminate(bot)
  local left = news_of(session, "doomed")
  if left.event ~= "left" or not string.find(left.why or "", "terminated", 1, true) then
    error("expected doomed to leave terminated, got " .. left.event .. " " .. tostring(left.why))
  end
  return true
end

-- After `unlisten`, lines of that topic arrive in the inbox as messages instead.
local function unlisten_sends_lines_back_to_the_inbox()
  local session = must(chat.join("switcher", "5s"))
  process.unlisten(session.lines)
  process.send(session.room, "say", {text = "to myself"})
  local inbox = process.inbox()
  local deadline = time.after("5s")
  while true do
    local r = channel.select{ inbox:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      error("the line did not arrive in the inbox")
    end
    if r.value:topic() == "line" and r.value:payload():data().text == "to myself" then
      return true
    end
  end
end

return {
  join_lists_the_members = join_lists_the_members,
  every_member_hears_every_line_in_order = every_member_hears_every_line_in_order,
  a_member_that_dies_is_removed = a_member_that_dies_is_removed,
  unlisten_sends_lines_back_to_the_inbox = unlisten_sends_lines_back_to_the_inbox,
}
