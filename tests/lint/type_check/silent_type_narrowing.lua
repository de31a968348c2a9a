local function size(v: string | {string}): number
  if type(v) == "table" then
    return #v
  end
  return string.len(v)
end
return size
