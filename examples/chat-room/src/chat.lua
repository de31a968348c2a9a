-- The member side of the room's protocol, every wait bounded by a deadline. Listening comes before
-- joining: a message is routed to a `listen` channel only once that topic is listened to.
local time = require("time")

export type Line = {seq: integer, nick: string, from: string, text: string}
export type Presence = {nick: string, event: string, why: string?}

local chat = {}

local function timeout(what: string, limit: string): error
  return errors.new{message = "no " .. what .. " within " .. limit, kind = errors.TIMEOUT}
end

-- The room's PID, waiting up to `limit` while the service starts.
function chat.room(limit: string): (string?, error?)
  local deadline = time.after(limit)
  while true do
    local pid = process.registry.lookup("room")
    if pid then
      return pid
    end
    local r = channel.select{ deadline:case_receive(), time.after("10ms"):case_receive() }
    if r.channel == deadline then
      return nil, timeout("room", limit)
    end
  end
end

-- Joins as `nick`: the channels of lines and presence news, and the members at the time of joining.
function chat.join(nick: string, limit: string): ({lines: any, presence: any, room: string, members: {string}}?, error?)
  local room, err = chat.room(limit)
  if not room then
    return nil, err
  end
  local lines = process.listen("line")
  local presence = process.listen("presence")
  local joined = process.listen("joined")
  process.send(room, "join", {nick = nick})
  local r = channel.select{ joined:case_receive(), time.after(limit):case_receive() }
  if r.channel ~= joined then
    return nil, timeout("answer to join", limit)
  end
  return {lines = lines, presence = presence, room = room, members = r.value.members}
end

-- The next value on `ch`, or an error after `limit`.
function chat.next(ch: any, what: string, limit: string): (any, error?)
  local r = channel.select{ ch:case_receive(), time.after(limit):case_receive() }
  if r.channel ~= ch then
    return nil, timeout(what, limit)
  end
  return r.value
end

return chat
