local function notify(pid: string)
  return process.send(pid, 42)
end
return notify
