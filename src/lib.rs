//! wippy: a runtime and toolchain for isolated, supervised Lua actor programs.
#![deny(unsafe_op_in_unsafe_fn)]

pub mod alloc;
pub mod cli;
pub mod dev;
pub mod diagnostic;
pub mod lint;
pub mod lua;
pub mod process;
pub mod registry;
pub mod runtime;
pub mod scaffold;
pub mod security;
pub mod supervisor;
pub mod typed;
pub mod value;
