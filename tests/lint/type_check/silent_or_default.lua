local function port(p: number?): number
  local chosen: number = p or 8080
  return chosen
end
return port
