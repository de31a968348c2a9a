type User = {name: string}
local function name_of(u: User?): string
  if u ~= nil then
    print(u.name)
  end
  return u.name
end
return name_of
