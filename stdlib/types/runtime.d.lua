-- The types of the runtime's own modules and globals (lua-api.md, typed-lua.md), for `wippy check`.
-- Each `export type` named like a module or global is that module's type: a call such as
-- `process.send(pid)` or `time.sleep(true)` is checked against it. Module types are open records:
-- a member not written here is `any`, never an unknown field. Objects (channels, times, error
-- objects, ...) are `any` where their methods would need more than this file says. A first result
-- that is nil on failure (`value, err`) is written without `?`: only the error says it failed, and
-- code that checks the error (or deliberately does not) is not made to check the value too.

export type Pid = string
export type Duration = string | number | any

export type process = {
  pid: () -> Pid,
  id: () -> string,
  send: (dest: Pid, topic: string, ...any) -> (boolean, error?),
  spawn: (entry: string, host: string?, ...any) -> (Pid, error?),
  spawn_monitored: (entry: string, host: string?, ...any) -> (Pid, error?),
  spawn_linked: (entry: string, host: string?, ...any) -> (Pid, error?),
  spawn_linked_monitored: (entry: string, host: string?, ...any) -> (Pid, error?),
  exec: (entry: string, host: string?, ...any) -> (any, error?),
  terminate: (dest: Pid) -> (boolean, error?),
  cancel: (dest: Pid, deadline: Duration?) -> (boolean, error?),
  monitor: (dest: Pid) -> (boolean, error?),
  unmonitor: (dest: Pid) -> (boolean, error?),
  link: (dest: Pid) -> (boolean, error?),
  unlink: (dest: Pid) -> (boolean, error?),
  get_options: () -> {trap_links: boolean, upgradable: boolean},
  set_options: (options: {trap_links?: boolean, upgradable?: boolean}) -> (boolean, error?),
  inbox: () -> any,
  events: () -> any,
  listen: (topic: string, options: {message?: boolean}?) -> any,
  unlisten: (ch: any) -> (),
  upgrade: (entry: string?, ...any) -> (),
  with_context: (values: {[string]: any}) -> any,
  registry: {
    register: (name: string, pid: Pid?) -> (boolean, error?),
    lookup: (name: string) -> (Pid, error?),
    unregister: (name: string) -> boolean,
  },
  event: {EXIT: string, LINK_DOWN: string, CANCEL: string, OUTDATED: string},
}

export type channel = {
  new: (size: integer?) -> any,
  select: (cases: {[any]: any}) -> {channel: any, value: any, ok: boolean, default: boolean?},
}

export type errors = {
  new: (message: string | {message: string, kind: string?, retryable: boolean?, details: any}) -> error,
  wrap: (err: any, context: string?) -> error,
  is: (err: any, kind: string) -> boolean,
  call_stack: (err: any) -> any,
}

export type payload = {
  new: (value: any) -> any,
}

export type time = {
  now: () -> any,
  unix: (sec: integer, nsec: integer?) -> any,
  date: (year: integer, month: integer, day: integer, hour: integer?, min: integer?, sec: integer?, nsec: integer?, loc: any) -> any,
  parse: (layout: string, value: string, loc: any) -> (any, error?),
  parse_duration: (value: Duration) -> (any, error?),
  sleep: (duration: Duration) -> (),
  after: (duration: Duration) -> any,
  timer: (duration: Duration) -> any,
  ticker: (duration: Duration) -> any,
  load_location: (name: string) -> (any, error?),
  fixed_zone: (name: string, offset: integer) -> any,
}

export type funcs = {
  call: (id: string, ...any) -> (any, error?),
  async: (id: string, ...any) -> any,
  new: () -> any,
}

export type ctx = {
  get: (key: string) -> (any, error?),
  all: () -> {[string]: any},
}

export type json = {
  encode: (value: any) -> (string, error?),
  decode: (text: string) -> (any, error?),
  validate: (schema: any, value: any) -> (boolean, error?),
  validate_string: (schema: any, text: string) -> (boolean, error?),
}

export type env = {
  get: (name: string) -> string?,
}

export type registry = {
  get: (id: string) -> (any, error?),
  find: (query: {[string]: any}) -> ({any}, error?),
}

export type uuid = {
  v4: () -> string,
}

export type base64 = {
  encode: (text: string) -> string,
  decode: (text: string) -> (string, error?),
}
