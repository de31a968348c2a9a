-- A worker: registers its name, squares the numbers it is sent, and crashes on a negative one.
-- It does not defend itself against bad input: a supervisor restarts it fresh instead.
type Job = {n: integer, reply_to: string}

local function main(name: string)
  local ok, err = process.registry.register(name)
  if not ok then
    return nil, err
  end
  local inbox = process.inbox()
  local events = process.events()
  while true do
    local r = channel.select{ inbox:case_receive(), events:case_receive() }
    if r.channel == events then
      if r.value.kind == process.event.CANCEL then
        return "stopped"
      end
    elseif r.value:topic() == "stop" then
      return "stopped on request"
    elseif r.value:topic() == "job" then
      local job = r.value:payload():data() :: Job
      if job.n < 0 then
        error(string.format("%s cannot square %d", name, job.n))
      end
      process.send(job.reply_to, "result", {name = name, n = job.n, square = job.n * job.n, pid = process.pid()})
    end
  end
end

return { main = main }
