-- A local that hides another of the same name.
local value = 1
local function f(value)
  for value = 1, 2 do
    print(value)
  end
  return value
end
local ok, err = pcall(f, value)
local res, err = pcall(f, 2)
print(ok, res, err)
