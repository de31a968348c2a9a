type User = {name: string}
local function name_of(u: User?): string
  if u ~= nil then
    return u.name
  end
  return "nobody"
end
return name_of
