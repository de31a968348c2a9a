-- A syntax error, with its place.
local function f()
  if true then
    print("x")
end
