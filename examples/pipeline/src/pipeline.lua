-- Running a pipeline: start the stages back to front (each needs the next one's PID), wait until
-- every stage has linked itself and said "ready", feed the items, then collect the sink's report
-- and the EXIT of every stage, each wait bounded by a deadline.
local time = require("time")

local HOST = "app:processes"
local STAGES = {"source", "parse", "square", "sink"}

export type Exit = {stage: string, pid: string, error: string?}
export type Outcome = {
  report: {[string]: any},  -- the sink's: {sum, count} or, after a failure, {sum, count, failed, reason}
  complete: boolean,        -- the sink saw the end of the stream
  exits: {Exit},            -- in STAGES order
}

local pipeline = {}
pipeline.STAGES = STAGES

local function timeout(what: string, limit: string): error
  return errors.new{message = "no " .. what .. " within " .. limit, kind = errors.TIMEOUT}
end

-- Pushes `items` through a new pipeline; what the sink reported and how every stage ended.
function pipeline.run(items: {any}, limit: string): (Outcome?, error?)
  local me = process.pid()
  local ready = process.listen("ready")
  local pids: {[string]: string} = {}
  local stage_of: {[string]: string} = {}
  local next_pid: string? = nil
  for i = #STAGES, 1, -1 do
    local name = STAGES[i]
    local pid, err
    if next_pid then
      pid, err = process.spawn_monitored("app:" .. name, HOST, next_pid, me)
    else
      pid, err = process.spawn_monitored("app:" .. name, HOST, me)
    end
    if not pid then
      return nil, err
    end
    pids[name], stage_of[pid], next_pid = pid, name, pid
  end

  local deadline = time.after(limit)
  for _ = 1, #STAGES do
    local r = channel.select{ ready:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      return nil, timeout("ready from every stage", limit)
    end
  end

  for _, item in ipairs(items) do
    process.send(pids.source, "item", item)
  end
  process.send(pids.source, "eos")

  local inbox = process.inbox()
  local events = process.events()
  local outcome: Outcome = {report = {}, complete = false, exits = {}}
  local exits: {[string]: Exit} = {}
  local reported, ended = false, 0
  while not reported or ended < #STAGES do
    local r = channel.select{ inbox:case_receive(), events:case_receive(), deadline:case_receive() }
    if r.channel == deadline then
      return nil, timeout(reported and "EXIT from every stage" or "report from the sink", limit)
    elseif r.channel == inbox then
      local topic = r.value:topic()
      if topic == "result" or topic == "partial" then
        outcome.report = r.value:payload():data()
        outcome.complete = topic == "result"
        reported = true
        if outcome.complete then
          process.send(pids.source, "stop")
        end
      end
    elseif r.value.kind == process.event.EXIT and stage_of[r.value.from] then
      local err = r.value.result.error
      exits[stage_of[r.value.from]] = {stage = stage_of[r.value.from], pid = r.value.from, error = err and tostring(err)}
      ended = ended + 1
    end
  end
  for i, name in ipairs(STAGES) do
    outcome.exits[i] = exits[name]
  end
  return outcome
end

return pipeline
