-- Wippy's typed Lua: none of this may be reported.
type Status = "pending" | "done"
export type User = {name: string, port?: number, tags: string[]}
type Result<T, E> = {ok: T?, err: E?}

local function id<T>(x: T): T
  return x
end

local function parse(data: any): (User?, string?)
  local u = data as User
  local port: number @min(1) @max(65535) = (u.port :: number) or 80
  local name = (u!).name
  local tags: {string} = u.tags or {}
  return { name = name, port = port, tags = tags }, nil
end

local function check(s: Status, r: Result<number, string>): boolean
  return s == "done" and r.ok ~= nil
end

local user = parse({ name = "a" })
local valid = User(user)
return { id = id, parse = parse, check = check, valid = valid }
