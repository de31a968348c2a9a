//! Loading a project for a command: the registry (errors printed with their locations) and the
//! runtime.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::registry::Registry;
use crate::runtime::config::RuntimeConfig;
use crate::runtime::Runtime;

/// Loads the registry and starts the runtime, or prints why not (exit code 2).
pub fn start(project: &Path, config_files: &[PathBuf]) -> Result<Runtime, i32> {
    let config = match RuntimeConfig::load(config_files, &project.join(".wippy.yaml")) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(super::EXIT_USAGE);
        }
    };
    let registry = match Registry::load(project) {
        Ok(r) => r,
        Err(diags) => {
            eprintln!("{diags}");
            let n = diags.errors().count();
            eprintln!(
                "error: the project at {} has {n} error{} and was not started",
                project.display(),
                if n == 1 { "" } else { "s" }
            );
            return Err(super::EXIT_USAGE);
        }
    };
    for w in registry.warnings() {
        tracing::warn!("{w}");
    }
    Runtime::start_with(Arc::new(registry), None, config).map_err(|e| {
        eprintln!("error: {e}");
        super::EXIT_FAILED
    })
}
