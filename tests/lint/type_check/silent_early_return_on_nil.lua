type User = {name: string}
local function name_of(u: User?): string
  if u == nil then
    return "nobody"
  end
  return u.name
end
return name_of
