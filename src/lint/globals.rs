//! What a Lua program can name without declaring it: the globals of a Wippy process (lua-api.md,
//! typed-lua.md) or of plain Lua 5.4, the modules `require` can reach, and the argument counts of
//! the runtime's functions.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

/// Lua 5.4's base library as a Wippy process has it (`dofile`/`loadfile` removed).
const BASE: &[&str] = &[
    "assert",
    "collectgarbage",
    "error",
    "getmetatable",
    "ipairs",
    "load",
    "next",
    "pairs",
    "pcall",
    "print",
    "rawequal",
    "rawget",
    "rawlen",
    "rawset",
    "require",
    "select",
    "setmetatable",
    "tonumber",
    "tostring",
    "type",
    "xpcall",
    "warn",
    "_G",
    "_VERSION",
    "_ENV",
    "string",
    "table",
    "math",
    "utf8",
    "coroutine",
    "os",
];

/// Globals every Wippy process has: the runtime's (lua-api.md) and typed Lua's (typed-lua.md).
const WIPPY: &[&str] = &[
    "process", "channel", "errors", "payload", "integer", "number", "boolean", "typeof", "Number", "String", "Integer",
    "Boolean",
];

/// What plain Lua 5.4 adds that a process does not have.
const LUA54_ONLY: &[&str] = &["dofile", "loadfile", "io", "debug", "package"];

/// Modules `require` reaches without a `modules:` listing (they are globals too).
pub(crate) const ALWAYS_REQUIRABLE: &[&str] = &["errors", "channel", "payload"];

/// Every module lua-api.md names (and the runtime's `bench` helper): what `modules:` may list.
pub(crate) const MODULES: &[&str] = &[
    "time", "json", "funcs", "ctx", "logger", "env", "registry", "security", "uuid", "base64", "hash", "yaml",
    "events", "io", "bench",
];

/// The names a file may read without declaring them.
#[derive(Debug, Default)]
pub struct Known {
    names: FxHashSet<String>,
}

impl Known {
    /// For the source of a registry entry: a Wippy process's globals, plus `extra`.
    pub fn process(extra: &[String]) -> Known {
        Known::from(BASE.iter().chain(WIPPY), extra)
    }

    /// For a plain Lua file (`wippy check PATH`): Lua 5.4's globals and Wippy's, plus `extra`.
    pub fn plain(extra: &[String]) -> Known {
        Known::from(BASE.iter().chain(WIPPY).chain(LUA54_ONLY), extra)
    }

    fn from<'a>(names: impl Iterator<Item = &'a &'static str>, extra: &[String]) -> Known {
        let mut set: FxHashSet<String> = names.map(|s| s.to_string()).collect();
        set.extend(extra.iter().cloned());
        Known { names: set }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }
}

/// How many arguments a function accepts: at least `min`, at most `max` (`None`: any number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arity {
    pub min: u8,
    pub max: Option<u8>,
}

const fn a(min: u8, max: u8) -> Arity {
    Arity { min, max: Some(max) }
}

const fn at_least(min: u8) -> Arity {
    Arity { min, max: None }
}

/// Known functions by dotted path. Bounds are what the runtime checks or what lua-api.md makes
/// mandatory; where the spec leaves room (optional trailing arguments), the bound is loose.
const ARITIES: &[(&str, Arity)] = &[
    // process (global)
    ("process.pid", a(0, 0)),
    ("process.id", a(0, 0)),
    ("process.send", at_least(2)),
    ("process.spawn", at_least(1)),
    ("process.spawn_monitored", at_least(1)),
    ("process.spawn_linked", at_least(1)),
    ("process.spawn_linked_monitored", at_least(1)),
    ("process.exec", at_least(1)),
    ("process.terminate", a(1, 1)),
    ("process.cancel", a(1, 2)),
    ("process.monitor", a(1, 1)),
    ("process.unmonitor", a(1, 1)),
    ("process.link", a(1, 1)),
    ("process.unlink", a(1, 1)),
    ("process.get_options", a(0, 0)),
    ("process.set_options", a(1, 1)),
    ("process.inbox", a(0, 0)),
    ("process.events", a(0, 0)),
    ("process.listen", a(1, 2)),
    ("process.unlisten", a(1, 1)),
    ("process.with_context", a(1, 1)),
    ("process.registry.register", a(1, 2)),
    ("process.registry.lookup", a(1, 1)),
    ("process.registry.unregister", a(1, 1)),
    // channel, coroutine, errors, payload (globals)
    ("channel.new", a(0, 1)),
    ("channel.select", a(1, 1)),
    ("coroutine.spawn", at_least(1)),
    ("errors.new", a(1, 1)),
    ("errors.wrap", a(1, 2)),
    ("errors.is", a(2, 2)),
    ("errors.call_stack", a(1, 1)),
    ("payload.new", a(1, 1)),
    // modules
    ("time.now", a(0, 0)),
    ("time.unix", a(1, 2)),
    ("time.date", a(3, 8)),
    ("time.parse", a(2, 3)),
    ("time.parse_duration", a(1, 1)),
    ("time.sleep", a(1, 1)),
    ("time.after", a(1, 1)),
    ("time.timer", a(1, 1)),
    ("time.ticker", a(1, 1)),
    ("time.load_location", a(1, 1)),
    ("time.fixed_zone", a(2, 2)),
    ("funcs.call", at_least(1)),
    ("funcs.async", at_least(1)),
    ("funcs.new", a(0, 0)),
    ("ctx.get", a(1, 1)),
    ("ctx.all", a(0, 0)),
    ("json.encode", at_least(1)),
    ("json.decode", at_least(1)),
    ("json.validate", at_least(2)),
    ("json.validate_string", at_least(2)),
    ("env.get", a(1, 1)),
    ("registry.get", a(1, 1)),
    ("registry.find", a(1, 1)),
    ("security.actor", a(0, 0)),
    ("security.scope", a(0, 0)),
    ("security.new_actor", a(1, 2)),
    ("security.new_scope", a(0, 1)),
    ("security.can", a(2, 3)),
    ("uuid.v4", a(0, 0)),
    ("uuid.v7", a(0, 0)),
    ("uuid.validate", a(1, 1)),
    ("hash.md5", a(1, 1)),
    ("hash.sha1", a(1, 1)),
    ("hash.sha256", a(1, 1)),
    ("hash.sha512", a(1, 1)),
    ("hash.hmac_sha256", a(2, 2)),
    ("env.get_all", a(0, 0)),
    ("base64.encode", at_least(1)),
    ("base64.decode", at_least(1)),
    ("yaml.encode", at_least(1)),
    ("yaml.decode", at_least(1)),
    ("events.send", at_least(2)),
    ("events.subscribe", a(1, 2)),
    // typed-Lua casts
    ("integer", a(1, 1)),
    ("number", a(1, 1)),
    ("boolean", a(1, 1)),
    ("typeof", a(1, 1)),
    // Lua 5.4 functions whose missing arguments always raise
    ("setmetatable", a(2, 2)),
    ("getmetatable", a(1, 1)),
    ("tostring", a(1, 1)),
    ("tonumber", a(1, 2)),
    ("type", a(1, 1)),
    ("ipairs", a(1, 1)),
    ("pairs", a(1, 1)),
    ("rawget", a(2, 2)),
    ("rawset", a(3, 3)),
    ("rawequal", a(2, 2)),
    ("rawlen", a(1, 1)),
    ("select", at_least(1)),
    ("pcall", at_least(1)),
    ("xpcall", at_least(2)),
    ("string.format", at_least(1)),
    ("string.rep", a(2, 3)),
    ("string.sub", a(2, 3)),
    ("string.find", a(2, 4)),
    ("string.match", a(2, 3)),
    ("string.gmatch", a(2, 3)),
    ("string.gsub", a(3, 4)),
    ("string.len", a(1, 1)),
    ("string.lower", a(1, 1)),
    ("string.upper", a(1, 1)),
    ("string.reverse", a(1, 1)),
    ("table.insert", a(2, 3)),
    ("table.remove", a(1, 2)),
    ("table.concat", a(1, 4)),
    ("table.sort", a(1, 2)),
    ("table.unpack", a(1, 3)),
    ("math.floor", a(1, 1)),
    ("math.ceil", a(1, 1)),
    ("math.abs", a(1, 1)),
    ("math.max", at_least(1)),
    ("math.min", at_least(1)),
    ("math.sqrt", a(1, 1)),
    ("math.tointeger", a(1, 1)),
];

pub(crate) fn arity(path: &str) -> Option<Arity> {
    static BY_PATH: OnceLock<FxHashMap<&'static str, Arity>> = OnceLock::new();
    BY_PATH.get_or_init(|| ARITIES.iter().copied().collect()).get(path).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_globals_lack_io_but_plain_lua_has_it() {
        assert!(!Known::process(&[]).contains("io"));
        assert!(Known::plain(&[]).contains("io"));
        assert!(Known::process(&[]).contains("process"));
        assert!(Known::process(&["vim".into()]).contains("vim"));
    }

    #[test]
    fn paths_are_unique() {
        let mut seen = FxHashSet::default();
        for (p, _) in ARITIES {
            assert!(seen.insert(*p), "{p} twice");
        }
    }
}
