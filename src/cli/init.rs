//! `wippy init`: writes `wippy.lock` for an existing source tree, then loads the project to say
//! whether it is ready to run.

use std::path::Path;

use clap::Args;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::registry::Registry;
use crate::scaffold;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Where the definition files (`_index.yaml`) and Lua sources are, relative to the project.
    #[arg(long, value_name = "DIR", default_value = scaffold::DEFAULT_SRC)]
    pub src_dir: String,
    /// Where modules are installed, relative to the project.
    #[arg(long, value_name = "DIR", default_value = scaffold::DEFAULT_MODULES)]
    pub modules_dir: String,
}

pub fn run(project: &Path, args: &InitArgs) -> i32 {
    let path = match scaffold::write_lock(project, &args.src_dir, &args.modules_dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(help) = e.help() {
                eprintln!("  help: {help}");
            }
            return if e.is_usage() { EXIT_USAGE } else { EXIT_FAILED };
        }
    };
    println!("wrote {} (src: {}, modules: {})", path.display(), args.src_dir, args.modules_dir);
    match Registry::load(project) {
        Ok(registry) => {
            let n = registry.entries().count();
            println!("the project loads: {n} entr{}", if n == 1 { "y" } else { "ies" });
            EXIT_OK
        }
        Err(diags) => {
            eprintln!("{diags}");
            let n = diags.errors().count();
            eprintln!("error: wippy.lock was written, but the project has {n} error{}", if n == 1 { "" } else { "s" });
            EXIT_FAILED
        }
    }
}
