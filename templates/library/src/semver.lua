-- semver: parse, compare, sort and format semantic versions (MAJOR.MINOR.PATCH[-PRE][+BUILD],
-- https://semver.org). Malformed input is an INVALID error value, never a raised error.
export type Version = {
  major: integer,
  minor: integer,
  patch: integer,
  pre: {string},   -- dot-separated pre-release identifiers; empty for a release
  build: string?,  -- build metadata: kept, ignored by comparisons
}

local semver = {}

local function invalid(text: string, why: string): (nil, error)
  return nil, errors.new{message = string.format("invalid version %q: %s", text, why), kind = errors.INVALID}
end

-- A numeric part: digits without a leading zero.
local function numeric(part: string): integer?
  if part:match("^%d+$") and (part == "0" or part:sub(1, 1) ~= "0") then
    return math.tointeger(tonumber(part))
  end
  return nil
end

-- The version `text` stands for, or `nil, err` (kind INVALID) saying what is wrong with it.
function semver.parse(text: string): (Version?, error?)
  local rest, build = text:match("^([^+]*)%+(.*)$")
  if rest then
    if not build:match("^[%w%-]+[%w%-%.]*$") or build:match("%.%.") or build:sub(-1) == "." then
      return invalid(text, "build metadata must be dot-separated [0-9A-Za-z-] identifiers")
    end
  else
    rest = text
  end
  local core, pre_text = rest:match("^([^-]*)%-(.*)$")
  core = core or rest
  local major_s, minor_s, patch_s = core:match("^([^.]+)%.([^.]+)%.([^.]+)$")
  if not major_s then
    return invalid(text, "expected MAJOR.MINOR.PATCH")
  end
  local major, minor, patch = numeric(major_s), numeric(minor_s), numeric(patch_s)
  if not (major and minor and patch) then
    return invalid(text, "MAJOR, MINOR and PATCH must be numbers without leading zeros")
  end
  local pre: {string} = {}
  if pre_text then
    for id in (pre_text .. "."):gmatch("([^.]*)%.") do
      if id == "" or not id:match("^[%w%-]+$") then
        return invalid(text, "pre-release must be dot-separated [0-9A-Za-z-] identifiers")
      end
      if id:match("^%d+$") and not numeric(id) then
        return invalid(text, "numeric pre-release identifiers must not have leading zeros")
      end
      table.insert(pre, id)
    end
  end
  return {major = major, minor = minor, patch = patch, pre = pre, build = build}
end

-- Pre-release precedence: a release is above its pre-releases; identifiers compare one by one,
-- numbers numerically and below words, words in ASCII order; a longer list wins a tie.
local function compare_pre(a: {string}, b: {string}): integer
  if #a == 0 or #b == 0 then
    return (#a == 0 and 1 or 0) - (#b == 0 and 1 or 0)
  end
  for i = 1, math.min(#a, #b) do
    local x, y = a[i], b[i]
    local xn, yn = numeric(x), numeric(y)
    if xn and yn then
      if xn ~= yn then
        return xn < yn and -1 or 1
      end
    elseif xn or yn then
      return xn and -1 or 1
    elseif x ~= y then
      return x < y and -1 or 1
    end
  end
  return #a == #b and 0 or (#a < #b and -1 or 1)
end

-- -1, 0 or 1 as `a` has lower, equal or higher precedence than `b` (build metadata ignored).
function semver.compare(a: Version, b: Version): integer
  for _, field in ipairs({"major", "minor", "patch"}) do
    if a[field] ~= b[field] then
      return a[field] < b[field] and -1 or 1
    end
  end
  return compare_pre(a.pre, b.pre)
end

-- A new list with the versions of `list` from lowest to highest precedence.
function semver.sort(list: {Version}): {Version}
  local sorted = table.move(list, 1, #list, 1, {})
  table.sort(sorted, function(a: Version, b: Version): boolean
    return semver.compare(a, b) < 0
  end)
  return sorted
end

-- The text form of `v`: what `parse` reads back to an equal version.
function semver.format(v: Version): string
  local text = string.format("%d.%d.%d", v.major, v.minor, v.patch)
  if #v.pre > 0 then
    text = text .. "-" .. table.concat(v.pre, ".")
  end
  if v.build then
    text = text .. "+" .. v.build
  end
  return text
end

return semver
