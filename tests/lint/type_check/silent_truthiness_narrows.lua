type User = {name: string}
local function name_of(u: User?): string?
  if u then
    return u.name
  end
  return nil
end
return name_of
