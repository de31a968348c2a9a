type User = {name: string}
local function name_of(u: User?): string
  return u!.name
end
return name_of
