//! Compiled code: each source is stripped of its type syntax and compiled to Lua bytecode once
//! per content hash, and its main function shared by all process states (`shared.rs`);
//! processes run the shared function, or load the cached bytecode.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use mlua::{Function, Lua, LuaOptions, StdLib};
use parking_lot::Mutex;

use super::shared::{self, SharedProto};
use crate::value::ErrorValue;

pub struct Code {
    pub bytecode: Vec<u8>,
    /// The chunk name Lua error messages and tracebacks use (`@src/app.lua`).
    pub chunk_name: String,
    /// The main function shared by all states (code the runtime runs; not code only checked).
    pub shared: Option<SharedProto>,
}

impl Code {
    /// The file as shown to people (`src/app.lua`).
    pub fn display(&self) -> &str {
        self.chunk_name.strip_prefix('@').unwrap_or(&self.chunk_name)
    }

    /// The main chunk as a function of `lua`, its `_ENV` the globals: a closure of the shared
    /// function when `lua` is new enough to run it, else undumped from the bytecode.
    pub fn load(&self, lua: &Lua) -> mlua::Result<Function> {
        if let Some(f) = self.shared.as_ref().map(|s| s.push(lua)).transpose()?.flatten() {
            return Ok(f);
        }
        lua.load(&self.bytecode[..]).set_name(&self.chunk_name).set_mode(mlua::chunk::ChunkMode::Binary).into_function()
    }
}

/// A source kept alive next to its compiled code (see `CodeCache::by_source`).
type SourceAndCode = (Arc<str>, Arc<Code>);

#[derive(Default)]
pub struct CodeCache {
    /// The fast path of every spawn: the registry shares one `Arc<str>` per source file, so its
    /// address finds the code without hashing the text. The entry keeps the `Arc`, so the
    /// address cannot be reused by other text while it is here.
    by_source: Mutex<HashMap<usize, SourceAndCode>>,
    by_hash: Mutex<HashMap<u64, Arc<Code>>>,
}

impl CodeCache {
    /// The compiled form of `source`, compiling it on first use. `display` names the file in
    /// error messages (relative to the project when possible); it is only called on a miss.
    pub fn get(
        &self,
        source: &Arc<str>,
        path: &Path,
        display: impl FnOnce() -> String,
    ) -> Result<Arc<Code>, Arc<ErrorValue>> {
        let addr = Arc::as_ptr(source) as *const u8 as usize;
        if let Some((_, code)) = self.by_source.lock().get(&addr) {
            return Ok(code.clone());
        }
        let code = self.get_by_content(source, path, &display())?;
        self.by_source.lock().insert(addr, (source.clone(), code.clone()));
        Ok(code)
    }

    /// Compiled code by content hash: a reloaded registry with unchanged files compiles nothing.
    fn get_by_content(&self, source: &str, path: &Path, display: &str) -> Result<Arc<Code>, Arc<ErrorValue>> {
        let mut h = DefaultHasher::new();
        source.hash(&mut h);
        display.hash(&mut h);
        let key = h.finish();
        if let Some(c) = self.by_hash.lock().get(&key) {
            return Ok(c.clone());
        }
        // Compile outside the lock: two processes racing on a new source both compile, the
        // second insert is a no-op; that is cheaper than serialising every compile.
        let mut code = compile(source, path, display)?;
        code.shared = shared::share(&code.bytecode, &code.chunk_name);
        let code = Arc::new(code);
        Ok(self.by_hash.lock().entry(key).or_insert(code).clone())
    }
}

pub fn compile(source: &str, path: &Path, display: &str) -> Result<Code, Arc<ErrorValue>> {
    match crate::typed::compile(source, path) {
        Ok(plain) => compile_plain(&plain.runtime, display),
        // The front end's parser (full_moon) rejects a few things Lua 5.4 accepts, e.g. statements
        // after `break`. Lua itself is the judge of plain Lua; the front end's diagnostics are
        // the better report for everything else.
        Err(diags) => compile_plain(source, display)
            .map_err(|_| Arc::new(ErrorValue::new("INVALID", format!("{display}: cannot load: {diags}")))),
    }
}

/// Whether Lua 5.4 itself accepts `source` as a chunk (for `wippy check`, which must not report
/// valid Lua its parser cannot read).
pub fn is_valid_plain_lua(source: &str) -> bool {
    compile_plain(source, "check").is_ok()
}

/// Compiles plain Lua 5.4.
pub fn compile_plain(lua_source: &str, display: &str) -> Result<Code, Arc<ErrorValue>> {
    let lua = Lua::new_with(StdLib::NONE, LuaOptions::default())
        .map_err(|e| Arc::new(ErrorValue::new("INTERNAL", format!("cannot create a Lua state: {e}"))))?;
    let chunk_name = format!("@{display}");
    let f = lua
        .load(lua_source)
        .set_name(&chunk_name)
        .into_function()
        .map_err(|e| Arc::new(ErrorValue::new("INVALID", format!("syntax error: {}", clean_lua_error(&e)))))?;
    Ok(Code { bytecode: f.dump(false), chunk_name, shared: None })
}

/// mlua decorates error messages; keep Lua's own text.
pub fn clean_lua_error(e: &mlua::Error) -> String {
    match e {
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::RuntimeError(m) => m.clone(),
        mlua::Error::CallbackError { cause, .. } => clean_lua_error(cause),
        other => other.to_string(),
    }
}
