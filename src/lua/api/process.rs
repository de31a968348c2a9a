//! The `process` global: identity, messaging, spawning, exits, links, monitors, names, options.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mlua::{AnyUserData, IntoLua, Lua, MultiValue, Table, UserData, Value as LuaValue};

use super::channel::{apply_wakes, new_channel, LuaChannel};
use super::errors::{fail, fail_with};
use super::security::{guard, guard_pid, LuaActor, LuaScope};
use crate::lua::convert::{from_value, to_value, to_values};
use crate::lua::process_state::{with_state, Listener, ProcState};
use crate::lua::LuaProcess;
use crate::process::{Message, Pid, ProcessCell, Signal};
use crate::registry::{EntryId, EntryKind, LuaKind};
use crate::runtime::{SpawnTies, TimerAction};
use crate::value::{ErrorValue, Value};

pub const EXIT: &str = "pid.exit";
pub const LINK_DOWN: &str = "pid.link.down";
pub const CANCEL: &str = "pid.cancel";
pub const OUTDATED: &str = "pid.outdated";

/// How a spawn ties the child to the caller, and what else the spawner builder adds.
#[derive(Default, Clone)]
pub struct SpawnOptions {
    pub link: bool,
    pub monitor: bool,
    /// Wait for the exit with `process.exec` (implies a private monitor).
    pub exec: bool,
    /// A `funcs` call: guarded by `funcs.call` on the entry instead of `process.spawn` and
    /// `process.host` (the caller names a function; its host is the entry's or the default).
    pub call: bool,
    pub context: Option<Value>,
    pub name: Option<String>,
    pub message: Option<(String, Vec<Value>)>,
    /// `with_actor` / `with_scope`: what the child runs as instead of the caller's.
    pub actor: Option<Arc<crate::security::Actor>>,
    pub scope: Option<Arc<crate::security::Scope>>,
}

/// Spawns `entry` (a reference, resolved in the caller's namespace) on `host`.
pub fn spawn(
    st: &mut ProcState,
    entry: &str,
    host: Option<&str>,
    args: Vec<Value>,
    opts: &SpawnOptions,
) -> Result<Arc<ProcessCell>, Arc<ErrorValue>> {
    let registry = st.rt.registry();
    let id = EntryId::resolve(entry, &st.entry.id.namespace);
    let target =
        registry.get_shared(&id).ok_or_else(|| err("NOT_FOUND", format!("cannot spawn {id}: no such entry")))?;
    match &target.kind {
        EntryKind::Lua(l) if l.lua_kind == LuaKind::Process || (opts.exec && l.lua_kind == LuaKind::Function) => {}
        _ => {
            return Err(err(
                "INVALID",
                format!("cannot spawn {id}: it is a {} entry, not a process.lua", target.kind_name),
            ))
        }
    }
    guard(st, if opts.call { "funcs.call" } else { "process.spawn" }, &id.to_string())?;
    let host_id = match host {
        Some(h) => EntryId::resolve(h, &st.entry.id.namespace),
        None => match &target.meta.default_host {
            Some(h) => h.clone(),
            None => st.rt.default_process_host().id.clone(),
        },
    };
    let host = st.rt.host(&host_id).ok_or_else(|| err("NOT_FOUND", format!("cannot spawn {id}: no host {host_id}")))?;
    if !opts.call {
        guard(st, "process.host", &host_id.to_string())?;
    }
    if host.terminal {
        return Err(err(
            "INVALID",
            format!("cannot spawn {id} on {host_id}: a terminal host runs only the command it was started with"),
        ));
    }
    let context = opts.context.clone().unwrap_or_else(|| st.context.clone());
    let body = Box::new(
        LuaProcess::new(st.rt.clone(), target, host.clone(), args, context)
            .with_security(st.security.for_child(opts.actor.clone(), opts.scope.clone())),
    );
    let ties = SpawnTies {
        link_to: opts.link.then(|| st.cell.clone()),
        monitored_by: (opts.monitor || opts.exec).then_some(st.cell.pid),
        ..SpawnTies::default()
    };
    let child = st.rt.spawn(&host, body, ties)?;
    if let Some(name) = &opts.name {
        if let Err(e) = st.rt.table.register_name(name, &child) {
            tracing::warn!(pid = %child.name, "with_name({name}) failed: {e:?}");
        }
    }
    if let Some((topic, payload)) = &opts.message {
        child.deliver(Signal::Message(Message {
            from: Some((st.cell.pid, st.cell.name.clone())),
            topic: Arc::from(topic.as_str()),
            payload: payload.clone(),
        }));
    }
    Ok(child)
}

fn err(kind: &str, msg: impl Into<String>) -> Arc<ErrorValue> {
    Arc::new(ErrorValue::new(kind, msg))
}

fn pid_string(st: &ProcState, pid: Pid) -> String {
    st.rt.table.get(pid).map(|c| c.name.to_string()).unwrap_or_else(|| pid.render(&st.host.name))
}

fn lua_args(args: MultiValue) -> mlua::Result<Vec<Value>> {
    to_values(args.iter()).map_err(|e| mlua::Error::runtime(e.0))
}

/// The arguments of `spawn*(entry, host, ...)`.
type SpawnArgs = (String, Option<String>, MultiValue);

/// `spawn*(entry, host, ...)` with a given set of ties.
fn spawn_with(lua: &Lua, (entry, host, args): SpawnArgs, opts: SpawnOptions) -> mlua::Result<(LuaValue, LuaValue)> {
    let args = lua_args(args)?;
    with_state(lua, |lua, st| match spawn(st, &entry, host.as_deref(), args, &opts) {
        Ok(child) => Ok((LuaValue::String(lua.create_string(&*child.name)?), LuaValue::Nil)),
        Err(e) => fail_with(lua, &e),
    })
}

pub fn exit_event(lua: &Lua, kind: &str, from: &str, result: &crate::process::ExitResult) -> mlua::Result<Table> {
    let ev = lua.create_table_with_capacity(0, 3)?;
    ev.raw_set("kind", kind)?;
    ev.raw_set("from", from)?;
    let r = lua.create_table_with_capacity(0, 1)?;
    match result {
        Ok(v) => r.raw_set("value", from_value(lua, v)?)?,
        Err(e) => r.raw_set("error", super::errors::LuaError(e.clone()))?,
    }
    ev.raw_set("result", r)?;
    Ok(ev)
}

/// Parses a deadline or duration argument: milliseconds as a number, a Go duration string, or
/// a Duration value.
pub fn duration_arg(v: &LuaValue, numbers_are_ms: bool) -> mlua::Result<Option<Duration>> {
    Ok(match v {
        LuaValue::Nil => None,
        LuaValue::Integer(i) if *i >= 0 => {
            Some(if numbers_are_ms { Duration::from_millis(*i as u64) } else { Duration::from_nanos(*i as u64) })
        }
        LuaValue::Number(n) if *n >= 0.0 => {
            Some(if numbers_are_ms { Duration::from_secs_f64(n / 1000.0) } else { Duration::from_nanos(*n as u64) })
        }
        LuaValue::String(s) => Some(
            crate::registry::parse_go_duration(&s.to_str()?)
                .map_err(|e| mlua::Error::runtime(format!("bad duration: {e}")))?,
        ),
        LuaValue::UserData(ud) => Some(ud.borrow::<super::time::LuaDuration>()?.as_std()),
        other => return Err(mlua::Error::runtime(format!("expected a duration, got {}", other.type_name()))),
    })
}

/// The `process` global. Its functions are made on first use (see `lazy_table`).
pub fn register(lua: &Lua) -> mlua::Result<Table> {
    lazy_table!(lua, member)
}

fn member(lua: &Lua, name: &str) -> mlua::Result<LuaValue> {
    Ok(match name {
        "pid" => light!(lua, |lua, ()| with_state(lua, |_, st| Ok(st.cell.name.to_string())))?.into_lua(lua)?,
        "id" => light!(lua, |lua, ()| with_state(lua, |_, st| Ok(format!("{}:{}", st.entry.id, st.cell.pid.0))))?
            .into_lua(lua)?,
        "send" => light!(lua, |lua, (dest, topic, payload): (LuaValue, mlua::LuaString, MultiValue)| {
            // Borrowed from Lua: a send allocates only the message.
            let dest = match &dest {
                LuaValue::String(s) => s.to_str()?,
                other => {
                    return Err(mlua::Error::runtime(format!(
                        "process.send: destination must be a PID or name, got {}",
                        other.type_name()
                    )))
                }
            };
            let topic = topic.to_str()?;
            if topic.starts_with('@') {
                return Err(mlua::Error::runtime(format!(
                    "process.send: topic '{}' is reserved (topics starting with @ belong to the runtime)",
                    &*topic
                )));
            }
            let payload = lua_args(payload)?;
            with_state(lua, |lua, st| {
                let Some(target) = st.rt.resolve(&dest) else {
                    return fail(lua, "NOT_FOUND", format!("process {} not found", &*dest));
                };
                if let Err(e) = guard_pid(st, "process.send", &target.name) {
                    return fail_with(lua, &e);
                }
                let msg =
                    Message { from: Some((st.cell.pid, st.cell.name.clone())), topic: Arc::from(&*topic), payload };
                if target.deliver(Signal::Message(msg)) {
                    Ok((LuaValue::Boolean(true), LuaValue::Nil))
                } else {
                    fail(lua, "NOT_FOUND", format!("process {} not found", &*dest))
                }
            })
        })?
        .into_lua(lua)?,
        "spawn" => light!(lua, |lua, a: SpawnArgs| spawn_with(lua, a, SpawnOptions::default()))?.into_lua(lua)?,
        "spawn_monitored" => light!(lua, |lua, a: SpawnArgs| {
            spawn_with(lua, a, SpawnOptions { monitor: true, ..Default::default() })
        })?
        .into_lua(lua)?,
        "spawn_linked" => {
            light!(lua, |lua, a: SpawnArgs| { spawn_with(lua, a, SpawnOptions { link: true, ..Default::default() }) })?
                .into_lua(lua)?
        }
        "spawn_linked_monitored" => light!(lua, |lua, a: SpawnArgs| {
            spawn_with(lua, a, SpawnOptions { link: true, monitor: true, ..Default::default() })
        })?
        .into_lua(lua)?,
        "exec" => LuaValue::Function(crate::lua::sandbox::c_function(lua, crate::lua::raw::exec)?),
        "upgrade" => LuaValue::Function(crate::lua::sandbox::c_function(lua, crate::lua::raw::upgrade)?),
        "terminate" => light!(lua, |lua, dest: String| {
            with_state(lua, |lua, st| {
                if let Some(Err(e)) = st.rt.resolve(&dest).map(|t| guard_pid(st, "process.terminate", &t.name)) {
                    return fail_with(lua, &e);
                }
                match st.rt.resolve(&dest) {
                    Some(t) if t.deliver(Signal::Kill { reason: "terminated".into() }) => {
                        Ok((LuaValue::Boolean(true), LuaValue::Nil))
                    }
                    _ => fail(lua, "NOT_FOUND", format!("process {dest} not found")),
                }
            })
        })?
        .into_lua(lua)?,
        "cancel" => light!(lua, |lua, (dest, deadline): (String, LuaValue)| {
            let deadline = duration_arg(&deadline, true)?;
            with_state(lua, |lua, st| {
                let Some(t) = st.rt.resolve(&dest) else {
                    return fail(lua, "NOT_FOUND", format!("process {dest} not found"));
                };
                if let Err(e) = guard_pid(st, "process.cancel", &t.name) {
                    return fail_with(lua, &e);
                }
                let reason = format!("canceled by {}", st.cell.name);
                if !t.deliver(Signal::Cancel { reason, deadline }) {
                    return fail(lua, "NOT_FOUND", format!("process {dest} not found"));
                }
                if let Some(d) = deadline {
                    st.rt.timers.schedule(
                        Instant::now() + d,
                        &t,
                        TimerAction::Kill("terminated: cancel deadline passed".into()),
                    );
                }
                Ok((LuaValue::Boolean(true), LuaValue::Nil))
            })
        })?
        .into_lua(lua)?,
        "monitor" => light!(lua, |lua, dest: String| {
            with_state(lua, |lua, st| {
                if let Err(e) = guard_pid(st, "process.monitor", &dest) {
                    return fail_with(lua, &e);
                }
                let pid = Pid::parse(&dest).or_else(|| st.rt.table.lookup_name(&dest));
                match pid {
                    Some(pid) => {
                        st.rt.monitor(&st.cell, pid, &dest);
                        Ok((LuaValue::Boolean(true), LuaValue::Nil))
                    }
                    None => fail(lua, "NOT_FOUND", format!("process {dest} not found")),
                }
            })
        })?
        .into_lua(lua)?,
        "unmonitor" => light!(lua, |lua, dest: String| {
            with_state(lua, |_, st| {
                if let Some(pid) = Pid::parse(&dest).or_else(|| st.rt.table.lookup_name(&dest)) {
                    st.rt.demonitor(st.cell.pid, pid);
                }
                Ok(true)
            })
        })?
        .into_lua(lua)?,
        "link" => light!(lua, |lua, dest: String| {
            with_state(lua, |lua, st| {
                let Some(pid) = Pid::parse(&dest).or_else(|| st.rt.table.lookup_name(&dest)) else {
                    return fail(lua, "NOT_FOUND", format!("process {dest} not found"));
                };
                if let Err(e) = guard_pid(st, "process.link", &dest) {
                    return fail_with(lua, &e);
                }
                match st.rt.link(&st.cell, pid) {
                    Ok(()) => Ok((LuaValue::Boolean(true), LuaValue::Nil)),
                    Err(e) => fail_with(lua, &e),
                }
            })
        })?
        .into_lua(lua)?,
        "unlink" => light!(lua, |lua, dest: String| {
            with_state(lua, |_, st| {
                if let Some(pid) = Pid::parse(&dest).or_else(|| st.rt.table.lookup_name(&dest)) {
                    st.rt.unlink(&st.cell, pid);
                }
                Ok(true)
            })
        })?
        .into_lua(lua)?,
        "get_options" => light!(lua, |lua, ()| {
            with_state(lua, |lua, st| {
                let t = lua.create_table()?;
                t.raw_set("trap_links", st.trap_links)?;
                t.raw_set("upgradable", st.cell.upgradable.load(std::sync::atomic::Ordering::Relaxed))?;
                Ok(t)
            })
        })?
        .into_lua(lua)?,
        "set_options" => light!(lua, |lua, opts: Table| {
            with_state(lua, |lua, st| {
                for pair in opts.pairs::<String, LuaValue>() {
                    let (k, v) = pair?;
                    let LuaValue::Boolean(b) = v else {
                        return fail(lua, "INVALID", format!("option {k} must be a boolean"));
                    };
                    match k.as_str() {
                        "trap_links" => st.trap_links = b,
                        "upgradable" => st.cell.upgradable.store(b, std::sync::atomic::Ordering::Relaxed),
                        _ => {
                            return fail(lua, "INVALID", format!("unknown option {k} (known: trap_links, upgradable)"))
                        }
                    }
                }
                Ok((LuaValue::Boolean(true), LuaValue::Nil))
            })
        })?
        .into_lua(lua)?,
        "inbox" => light!(lua, |lua, ()| {
            with_state(lua, |lua, st| {
                if st.inbox_ud.is_none() {
                    st.inbox_ud = Some(lua.create_userdata(LuaChannel(st.inbox.clone()))?);
                }
                Ok(st.inbox_ud.clone())
            })
        })?
        .into_lua(lua)?,
        "events" => light!(lua, |lua, ()| {
            with_state(lua, |lua, st| {
                if st.events_ud.is_none() {
                    st.events_ud = Some(lua.create_userdata(LuaChannel(st.events()))?);
                }
                Ok(st.events_ud.clone())
            })
        })?
        .into_lua(lua)?,
        "listen" => light!(lua, |lua, (topic, opts): (String, Option<Table>)| {
            if topic.starts_with('@') {
                return Err(mlua::Error::runtime(format!("process.listen: topic '{topic}' is reserved")));
            }
            let message = match &opts {
                Some(o) => o.get::<Option<bool>>("message")?.unwrap_or(false),
                None => false,
            };
            with_state(lua, |lua, st| {
                if let Some(l) = st.listeners.get(&topic) {
                    return Ok(l.ud.clone());
                }
                let ud = new_channel(lua, super::channel::UNBOUNDED)?;
                let chan = ud.borrow::<LuaChannel>()?.0.clone();
                st.listeners.insert(topic, Listener { chan, ud: ud.clone(), message });
                Ok(ud)
            })
        })?
        .into_lua(lua)?,
        "unlisten" => light!(lua, |lua, ch: AnyUserData| {
            let chan = ch.borrow::<LuaChannel>()?.0.clone();
            with_state(lua, |lua, st| {
                st.listeners.retain(|_, l| !Arc::ptr_eq(&l.chan, &chan));
                let mut wakes = Vec::new();
                chan.close(&mut wakes);
                apply_wakes(lua, &mut st.tasks, &mut wakes)
            })
        })?
        .into_lua(lua)?,
        "registry" => LuaValue::Table(lazy_table!(lua, name_member)?),
        "with_context" => light!(lua, |_, values: Table| {
            let v = to_value(&LuaValue::Table(values)).map_err(|e| mlua::Error::runtime(e.0))?;
            Ok(Spawner(SpawnOptions { context: Some(v), ..Default::default() }))
        })?
        .into_lua(lua)?,
        "event" => {
            let ev = lua.create_table()?;
            ev.raw_set("EXIT", EXIT)?;
            ev.raw_set("LINK_DOWN", LINK_DOWN)?;
            ev.raw_set("CANCEL", CANCEL)?;
            ev.raw_set("OUTDATED", OUTDATED)?;
            LuaValue::Table(ev)
        }
        _ => LuaValue::Nil,
    })
}

fn name_member(lua: &Lua, name: &str) -> mlua::Result<LuaValue> {
    Ok(match name {
        "register" => light!(lua, |lua, (name, pid): (String, Option<String>)| {
            with_state(lua, |lua, st| {
                let cell = match &pid {
                    None => st.cell.clone(),
                    Some(p) => match st.rt.resolve(p) {
                        Some(c) => c,
                        None => return fail(lua, "NOT_FOUND", format!("process {p} not found")),
                    },
                };
                match st.rt.table.register_name(&name, &cell) {
                    Ok(()) => Ok((LuaValue::Boolean(true), LuaValue::Nil)),
                    Err(crate::process::NameError::Taken(owner)) => fail(
                        lua,
                        "ALREADY_EXISTS",
                        format!("name '{name}' is already registered by {}", pid_string(st, owner)),
                    ),
                    Err(crate::process::NameError::NoProcess) => fail(lua, "NOT_FOUND", "process not found"),
                }
            })
        })?
        .into_lua(lua)?,
        "lookup" => light!(lua, |lua, name: String| {
            with_state(lua, |lua, st| match st.rt.table.lookup_name(&name).and_then(|p| st.rt.table.get(p)) {
                Some(c) => Ok((LuaValue::String(lua.create_string(&*c.name)?), LuaValue::Nil)),
                None => fail(lua, "NOT_FOUND", format!("name '{name}' is not registered")),
            })
        })?
        .into_lua(lua)?,
        "unregister" => light!(lua, |lua, name: String| {
            with_state(lua, |_, st| Ok(st.rt.table.unregister_name(&name, st.cell.pid)))
        })?
        .into_lua(lua)?,
        _ => LuaValue::Nil,
    })
}

/// The immutable spawner builder of `process.with_context`.
#[derive(Clone)]
pub struct Spawner(pub SpawnOptions);

impl UserData for Spawner {
    fn add_fields<F: mlua::UserDataFields<Self>>(f: &mut F) {
        f.add_meta_field_with("__index", spawner_methods);
    }
}

type SpawnerRef = mlua::UserDataRef<Spawner>;

fn spawner_methods(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "with_context",
        light!(lua, |_, (s, values): (SpawnerRef, Table)| {
            let extra = to_value(&LuaValue::Table(values)).map_err(|e| mlua::Error::runtime(e.0))?;
            let mut next = s.0.clone();
            next.context = Some(merge(next.context.take(), extra));
            Ok(Spawner(next))
        })?,
    )?;
    t.raw_set(
        "with_name",
        light!(lua, |_, (s, name): (SpawnerRef, String)| {
            let mut next = s.0.clone();
            next.name = Some(name);
            Ok(Spawner(next))
        })?,
    )?;
    t.raw_set(
        "with_message",
        light!(lua, |_, (s, topic, payload): (SpawnerRef, String, MultiValue)| {
            let mut next = s.0.clone();
            next.message = Some((topic, lua_args(payload)?));
            Ok(Spawner(next))
        })?,
    )?;
    // Running a child as another actor or scope is itself guarded (`process.security`).
    t.raw_set(
        "with_actor",
        light!(lua, |lua, (s, a): (SpawnerRef, mlua::UserDataRef<LuaActor>)| {
            with_state(lua, |lua, st| match guard(st, "process.security", &a.0.id) {
                Err(e) => fail_with(lua, &e),
                Ok(()) => Ok((
                    Spawner(SpawnOptions { actor: Some(a.0.clone()), ..s.0.clone() }).into_lua(lua)?,
                    LuaValue::Nil,
                )),
            })
        })?,
    )?;
    t.raw_set(
        "with_scope",
        light!(lua, |lua, (s, sc): (SpawnerRef, mlua::UserDataRef<LuaScope>)| {
            with_state(lua, |lua, st| match guard(st, "process.security", "scope") {
                Err(e) => fail_with(lua, &e),
                Ok(()) => Ok((
                    Spawner(SpawnOptions { scope: Some(sc.0.clone()), ..s.0.clone() }).into_lua(lua)?,
                    LuaValue::Nil,
                )),
            })
        })?,
    )?;
    for (name, link, monitor, exec) in [
        ("spawn", false, false, false),
        ("spawn_monitored", false, true, false),
        ("spawn_linked", true, false, false),
        ("spawn_linked_monitored", true, true, false),
        ("spawn_exec", false, false, true),
    ] {
        t.raw_set(
            name,
            lua.create_function(
                move |lua, (s, entry, host, args): (SpawnerRef, String, Option<String>, MultiValue)| {
                    let args = lua_args(args)?;
                    let opts = SpawnOptions { link, monitor, exec, ..s.0.clone() };
                    with_state(lua, |lua, st| match spawn(st, &entry, host.as_deref(), args, &opts) {
                        Ok(child) => Ok((LuaValue::String(lua.create_string(&*child.name)?), LuaValue::Nil)),
                        Err(e) => fail_with(lua, &e),
                    })
                },
            )?,
        )?;
    }
    t.raw_set("exec", crate::lua::sandbox::c_function(lua, crate::lua::raw::exec_with)?)?;
    Ok(t)
}

/// `extra`'s keys over `base`'s (context merging).
pub(crate) fn merge(base: Option<Value>, extra: Value) -> Value {
    match (base, &extra) {
        (Some(Value::Table(b)), Value::Table(e)) => {
            let mut t = (*b).clone();
            for (k, v) in &e.map {
                t.map.retain(|(bk, _)| bk != k);
                t.map.push((k.clone(), v.clone()));
            }
            Value::Table(Arc::new(t))
        }
        _ => extra,
    }
}
