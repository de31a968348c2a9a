-- The room service: registered as "room". Members send "join" (with a nick), "say" (a line) and
-- "leave"; the room answers a join with "joined" (who is there), relays every line to every member
-- on the topic "line", and tells everyone on the topic "presence" who came and went. It monitors
-- each member, so one that dies without leaving is removed too.
--
-- Each request topic has its own channel (`process.listen` with `{message = true}`, so the sender
-- is known): the room reads them with one select, and anything else lands in the inbox.
type Join = {nick: string}
type Say = {text: string}

local function main()
  local ok, err = process.registry.register("room")
  if not ok then
    return nil, err
  end
  local joins = process.listen("join", {message = true})
  local says = process.listen("say", {message = true})
  local leaves = process.listen("leave", {message = true})
  local events = process.events()
  local inbox = process.inbox()

  local members: {[string]: string} = {}  -- PID -> nick
  local seq = 0

  local function broadcast(topic: string, body: {[string]: any})
    for pid in pairs(members) do
      process.send(pid, topic, body)
    end
  end

  local function remove(pid: string, why: string)
    local nick = members[pid]
    if nick then
      members[pid] = nil
      process.unmonitor(pid)
      broadcast("presence", {nick = nick, event = "left", why = why})
    end
  end

  while true do
    local r = channel.select{
      joins:case_receive(), says:case_receive(), leaves:case_receive(), events:case_receive(), inbox:case_receive(),
    }
    if r.channel == joins then
      local from = r.value:from()
      local join = r.value:payload():data() :: Join
      if from and not members[from] then
        broadcast("presence", {nick = join.nick, event = "joined"})
        members[from] = join.nick
        process.monitor(from)
        local nicks = {}
        for _, nick in pairs(members) do
          table.insert(nicks, nick)
        end
        table.sort(nicks)
        process.send(from, "joined", {members = nicks})
      end
    elseif r.channel == says then
      local from = r.value:from()
      if from and members[from] then
        seq = seq + 1
        local say = r.value:payload():data() :: Say
        broadcast("line", {seq = seq, nick = members[from], from = from, text = say.text})
      end
    elseif r.channel == leaves then
      local from = r.value:from()
      if from then
        remove(from, "left")
      end
    elseif r.channel == events then
      if r.value.kind == process.event.CANCEL then
        return "closed"
      elseif r.value.kind == process.event.EXIT then
        remove(r.value.from, "ended: " .. tostring(r.value.result.error or "normally"))
      end
    end
    -- Messages on other topics (in the inbox) are not part of the protocol: dropped.
  end
end

return { main = main }
