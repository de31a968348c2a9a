-- fanin: one loop that waits on several sources at once. A producer process sends COUNT messages;
-- the loop selects over the inbox (the messages), the lifecycle events (the producer's EXIT) and a
-- ticker (progress), and stops when every message and the EXIT are in.
local time = require("time")

export type Report = {received: integer, duplicates: integer, out_of_order: integer, ticks: integer, produced: any}

local fanin = {}

-- The producer process: COUNT messages to `dest`, numbered 1..COUNT, then ends with COUNT.
function fanin.produce(dest: string, count: integer): integer
  for i = 1, count do
    process.send(dest, "item", i)
  end
  return count
end

-- Spawns the producer and collects its messages; gives up after `limit`.
function fanin.collect(count: integer, limit: string): (Report?, error?)
  local producer, err = process.spawn_monitored("app:fanin_producer", nil, process.pid(), count)
  if not producer then
    return nil, err
  end
  local inbox, events = process.inbox(), process.events()
  local ticker = time.ticker("10ms")
  local deadline = time.after(limit)
  local seen: {[integer]: boolean} = {}
  local report: Report = {received = 0, duplicates = 0, out_of_order = 0, ticks = 0, produced = nil}
  local last, exited = 0, false
  while report.received < count or not exited do
    local r = channel.select{inbox:case_receive(), events:case_receive(), ticker:channel():case_receive(),
      deadline:case_receive()}
    if r.channel == inbox then
      local n = r.value:payload():data()
      if seen[n] then
        report.duplicates = report.duplicates + 1
      else
        seen[n] = true
        report.received = report.received + 1
      end
      if n <= last then
        report.out_of_order = report.out_of_order + 1
      end
      last = n
    elseif r.channel == events then
      if r.value.from == producer and r.value.kind == process.event.EXIT then
        exited = true
        report.produced = r.value.result.value or tostring(r.value.result.error)
      end
    elseif r.channel == deadline then
      ticker:stop()
      return nil, errors.new{message = string.format("fan-in gave up after %s with %d of %d messages", limit,
        report.received, count), kind = errors.TIMEOUT}
    else
      report.ticks = report.ticks + 1
    end
  end
  ticker:stop()
  return report
end

return fanin
