type Config = {host: string, port?: number}
local c: Config = {host = "localhost"}
local d: Config = {host = "h", port = 80}
return c, d
