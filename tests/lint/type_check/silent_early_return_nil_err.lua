type User = {name: string}
local function find(id: string): (User?, error?)
  if id == "" then
    return nil, errors.new("empty id")
  end
  return {name = id}, nil
end
local function greet(id: string): (string?, error?)
  local user, err = find(id)
  if err then
    return nil, err
  end
  return "hi " .. user.name, nil
end
return greet
