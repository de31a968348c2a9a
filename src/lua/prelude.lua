-- The privileged Lua half of the process API: blocking operations are Lua functions that try
-- the non-blocking Rust primitive first and, only if it cannot complete, yield a command to the
-- process scheduler (the Rust step loop) with the SUSPEND marker. User code never sees SUSPEND
-- or the raw yield; coroutine.resume/wrap pass SUSPEND yields from inner coroutines upward, so
-- blocking calls work inside user coroutines too.
local SUSPEND, yield, rt = ...
local OP_RECV, OP_SEND, OP_SELECT, OP_SLEEP, OP_WAIT_EXIT, OP_INPUT = 1, 2, 3, 4, 5, 6
local type, error, xpcall = type, error, xpcall

local M = {}

function M.receive(ch)
  local v, ok, blocked = ch:try_receive()
  if not blocked then return v, ok end
  return yield(SUSPEND, OP_RECV, ch)
end

function M.send(ch, v)
  if ch:try_send(v) then return true end
  local ok, err = yield(SUSPEND, OP_SEND, ch, v)
  if ok == false then error(err, 2) end
  return true
end

function M.select(cases)
  if type(cases) ~= "table" then error("channel.select expects a table of cases", 2) end
  local r = rt.select_now(cases)
  if r == nil then r = yield(SUSPEND, OP_SELECT, cases) end
  if r.error then error(r.error, 2) end
  return r
end

function M.sleep(d)
  yield(SUSPEND, OP_SLEEP, rt.duration_ns(d))
end

function M.wait_exit(pid)
  return yield(SUSPEND, OP_WAIT_EXIT, pid)
end

function M.readline()
  return yield(SUSPEND, OP_INPUT)
end

function M.exec(entry, host, ...)
  local pid, err = rt.spawn_exec(entry, host, ...)
  if not pid then return nil, err end
  return yield(SUSPEND, OP_WAIT_EXIT, pid)
end

function M.exec_with(spawner, entry, host, ...)
  local pid, err = spawner:spawn_exec(entry, host, ...)
  if not pid then return nil, err end
  return yield(SUSPEND, OP_WAIT_EXIT, pid)
end

-- Lua-side methods of Rust objects (they block, so they cannot be Rust functions).
M.methods = {
  channel = { receive = M.receive, send = M.send },
  spawner = { exec = M.exec_with },
}

-- require: only the entry's `modules:` (built-ins) and `imports:` (library entries). A library's
-- chunk runs here, in Lua, so its top level may block like any other code.
local loaded = {}
function M.require(name)
  local m = loaded[name]
  if m ~= nil then return m end
  local chunk, mod = rt.resolve_require(name)
  if chunk then mod = chunk() end
  if mod == nil then mod = true end
  loaded[name] = mod
  return mod
end

-- Every task (the body and coroutine.spawn children) runs inside this, so an error arrives at
-- the scheduler as a value with its traceback instead of unwinding through it.
local function handler(e)
  return { e, rt.traceback(e) }
end

function M.task(fn, ...)
  return xpcall(fn, handler, ...)
end

-- The body of a process: load the entry's module, find the method, run it.
function M.boot(chunk, method, entry_id, ...)
  local mod = chunk()
  local f = mod
  if method ~= nil then
    if type(mod) ~= "table" then
      error("entry " .. entry_id .. ": its source must return a table of functions (got " .. type(mod) .. ")", 0)
    end
    f = mod[method]
    if type(f) ~= "function" then
      error("entry " .. entry_id .. ": method '" .. method .. "' is not exported by its module", 0)
    end
  end
  return f(...)
end

-- Coroutines: forward runtime commands from inner coroutines to the scheduler.
function M.wrap_coroutine(co)
  local raw_resume, raw_status, create = co.resume, co.status, co.create

  -- Tail calls keep this loop in constant stack space and need no table.
  local function step(c, ok, first, ...)
    if ok and first == SUSPEND and raw_status(c) == "suspended" then
      return step(c, raw_resume(c, yield(first, ...)))
    end
    return ok, first, ...
  end

  co.resume = function(c, ...)
    return step(c, raw_resume(c, ...))
  end

  local function unwrap(ok, ...)
    if not ok then error((...), 2) end
    return ...
  end

  co.wrap = function(f)
    local c = create(f)
    return function(...)
      return unwrap(step(c, raw_resume(c, ...)))
    end
  end
  co.spawn = function(f)
    return rt.spawn_task(f)
  end
  return co
end

return M
