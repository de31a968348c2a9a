type Config = {host: string, port?: number}
local function port_of(c: Config): number?
  return c.prot
end
return port_of
