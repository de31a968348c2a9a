-- The `sort` command: prints the versions given as arguments from lowest to highest precedence.
local io = require("io")
local semver = require("semver")

local function main(): integer
  local versions = {}
  for _, arg in ipairs(io.args()) do
    local v, err = semver.parse(arg)
    if not v then
      io.print("error: " .. tostring(err))
      return 2
    end
    table.insert(versions, v)
  end
  for _, v in ipairs(semver.sort(versions)) do
    io.print(semver.format(v))
  end
  return 0
end

return { main = main }
