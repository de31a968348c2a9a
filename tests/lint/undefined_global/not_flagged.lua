-- The runtime's globals, Lua's, globals this file assigns, and typed Lua's type values.
type Point = {x: number, y: number}
local p = Point({x = 1, y = 2})
local n = integer("3")
local ok = Point:is(p)
local pid = process.pid()
local ch = channel.new(1)
local e = errors.new("x")
known_here = 1
print(known_here, n, ok, pid, ch, e, string.format("%d", 1), math.max(1, 2), os.time(), utf8.char(72))
print(typeof(p), Number, coroutine.spawn, payload.new(1))
