type User = {name: string}
local function find(id: string): (User?, error?)
  return nil, errors.new("no " .. id)
end
return find("a").name
