-- Locals, local functions and loop variables that nothing reads.
local unused = 1
local function helper() end
local a, b = 1, 2
print(a)
for i, v in ipairs({}) do
  print(v)
end
local assigned
assigned = 3
