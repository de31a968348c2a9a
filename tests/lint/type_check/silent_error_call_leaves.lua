type User = {name: string}
local function name_of(u: User?): string
  if not u then
    error("no user")
  end
  return u.name
end
return name_of
