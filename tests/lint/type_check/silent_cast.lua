type User = {name: string}
local function name_of(data: any): string
  local u = data :: User
  local v = data as User
  return u.name .. v.name
end
return name_of
