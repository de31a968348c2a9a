-- Tests of the semver library.
local semver = require("semver")

local function must_parse(text: string)
  local v, err = semver.parse(text)
  if not v then
    error(err)
  end
  return v
end

-- Every part of a full version is read, and formatting gives the text back.
local function parses_every_part()
  local v = must_parse("1.20.3-rc.1+build.7")
  if v.major ~= 1 or v.minor ~= 20 or v.patch ~= 3 then
    error(string.format("core read as %d.%d.%d", v.major, v.minor, v.patch))
  end
  if #v.pre ~= 2 or v.pre[1] ~= "rc" or v.pre[2] ~= "1" or v.build ~= "build.7" then
    error("pre-release or build read wrongly: " .. semver.format(v))
  end
  for _, text in ipairs({"0.0.0", "1.2.3", "1.2.3-alpha", "1.2.3+sha.5114f85", "10.20.30-x-y.0.z+b"}) do
    local back = semver.format(must_parse(text))
    if back ~= text then
      error(string.format("%s formats back as %s", text, back))
    end
  end
  return true
end

-- Malformed versions are INVALID error values that say what is wrong.
local function rejects_malformed_versions()
  for _, text in ipairs({"", "1", "1.2", "1.2.3.4", "01.2.3", "1.2.x", "1.2.3-", "1.2.3-a..b", "1.2.3-01", "1.2.3+"}) do
    local v, err = semver.parse(text)
    if v ~= nil then
      error(string.format("%q was accepted as %s", text, semver.format(v)))
    end
    if not errors.is(err, errors.INVALID) then
      error(string.format("%q: expected an INVALID error, got %s", text, tostring(err)))
    end
  end
  return true
end

-- The precedence list of semver.org, item 11, and numbers compared as numbers.
local function orders_by_precedence()
  local ordered = {
    "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
    "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0",
  }
  for i = 1, #ordered - 1 do
    local a, b = must_parse(ordered[i]), must_parse(ordered[i + 1])
    if semver.compare(a, b) ~= -1 or semver.compare(b, a) ~= 1 then
      error(string.format("expected %s < %s", ordered[i], ordered[i + 1]))
    end
  end
  if semver.compare(must_parse("1.0.0+a"), must_parse("1.0.0+b")) ~= 0 then
    error("build metadata must not change precedence")
  end
  return true
end

-- sort returns a sorted copy and leaves its argument as it was.
local function sort_keeps_its_input()
  local input = {must_parse("1.10.0"), must_parse("1.2.0"), must_parse("1.2.0-beta")}
  local sorted = semver.sort(input)
  local got = {}
  for i, v in ipairs(sorted) do
    got[i] = semver.format(v)
  end
  if table.concat(got, " ") ~= "1.2.0-beta 1.2.0 1.10.0" then
    error("sorted as " .. table.concat(got, " "))
  end
  if semver.format(input[1]) ~= "1.10.0" then
    error("sort changed its input")
  end
  return true
end

return {
  parses_every_part = parses_every_part,
  rejects_malformed_versions = rejects_malformed_versions,
  orders_by_precedence = orders_by_precedence,
  sort_keeps_its_input = sort_keeps_its_input,
}
