type Config = {host: string, port?: number}
local c: Config = {host = "h", prot = 80}
return c
