local time = require("time")
local helpers = require("helpers")
local errors_module = require("errors")
local function main()
  local json = require("json")
  local other = require("other_lib")
  return time.now(), helpers.answer(), errors_module, json, other
end
return { main = main }
