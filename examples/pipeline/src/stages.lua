-- The stages of the pipeline. Each links itself to the next stage, tells the runner it is ready,
-- then passes items on. A stage that fails takes its linked neighbours down with it, and they take
-- theirs: the failure cascades along the chain. The sink traps links, so it survives and reports.
--
-- Messages: "item" (a value), "eos" (end of the stream: the sink reports its result), "stop" (each
-- stage passes it on and returns normally; a normal exit takes no one down).
type Item = any

-- Links to `next_pid`, says "ready" to `runner`, then runs `handle` on each item until "stop".
local function stage(name: string, next_pid: string, runner: string, handle: (Item) -> Item)
  process.link(next_pid)
  process.send(runner, "ready", name)
  local inbox = process.inbox()
  while true do
    local msg = inbox:receive()
    local topic = msg:topic()
    if topic == "item" then
      process.send(next_pid, "item", handle(msg:payload():data()))
    else
      process.send(next_pid, topic)
      if topic == "stop" then
        return "stopped"
      end
    end
  end
end

local function source(next_pid: string, runner: string)
  return stage("source", next_pid, runner, function(item: Item): Item
    return item
  end)
end

-- Items arrive as text; one that is not a number is a bug upstream, and this stage crashes on it.
local function parse(next_pid: string, runner: string)
  return stage("parse", next_pid, runner, function(item: Item): Item
    local n = tonumber(item)
    if n == nil then
      error(string.format("not a number: %q", tostring(item)))
    end
    return n
  end)
end

local function square(next_pid: string, runner: string)
  return stage("square", next_pid, runner, function(n: number): number
    return n * n
  end)
end

-- Sums what arrives. On "eos" it sends the runner the result; when an upstream stage fails, the
-- LINK_DOWN arrives as an event (trap_links), and it sends what it has so far, then ends normally.
local function sink(runner: string)
  process.set_options({trap_links = true})
  process.send(runner, "ready", "sink")
  local sum, count = 0, 0
  local inbox = process.inbox()
  local events = process.events()
  while true do
    local r = channel.select{ inbox:case_receive(), events:case_receive() }
    if r.channel == events then
      if r.value.kind == process.event.LINK_DOWN then
        process.send(runner, "partial", {sum = sum, count = count, failed = r.value.from, reason = tostring(r.value.result.error)})
        return "upstream failed"
      end
    else
      local topic = r.value:topic()
      if topic == "item" then
        sum = sum + r.value:payload():data()
        count = count + 1
      elseif topic == "eos" then
        process.send(runner, "result", {sum = sum, count = count})
      elseif topic == "stop" then
        return "stopped"
      end
    end
  end
end

return { source = source, parse = parse, square = square, sink = sink }
