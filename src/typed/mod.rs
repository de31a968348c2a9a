//! Typed Lua front end (interim stand-in: passes plain Lua through).
use crate::diagnostic::Diagnostics;
pub struct Compiled { pub lua: String }
pub fn compile(source: &str, _file: &std::path::Path) -> Result<Compiled, Diagnostics> {
    Ok(Compiled { lua: source.to_string() })
}
