-- Tests of the store service.
local rpc = require("rpc")

-- A value put under a key is what get returns for it.
local function put_then_get()
  local ok, err = rpc.call("store", "put", {key = "test.answer", value = {n = 42, tags = {"a", "b"}}}, "5s")
  if not ok then
    error(err)
  end
  local got, get_err = rpc.call("store", "get", {key = "test.answer"}, "5s")
  if not got then
    error(get_err)
  end
  if got.n ~= 42 or got.tags[2] ~= "b" then
    error("get returned another value than was put")
  end
  return true
end

-- A key never put is a NOT_FOUND error, not a nil value.
local function get_missing_is_not_found()
  local got, err = rpc.call("store", "get", {key = "test.never-put"}, "5s")
  if got ~= nil then
    error("expected no value, got " .. tostring(got))
  end
  if not errors.is(err, errors.NOT_FOUND) then
    error("expected NOT_FOUND, got " .. tostring(err))
  end
  return true
end

return { put_then_get = put_then_get, get_missing_is_not_found = get_missing_is_not_found }
