-- Valid grammar that Lua's compiler still rejects when the chunk is loaded.
local limit <const> = 10
limit = 11
local function f()
  return ...
end
goto nowhere
return f
