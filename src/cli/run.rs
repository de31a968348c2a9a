//! `wippy run`: the whole project until Ctrl-C, or one command on the terminal host.

use std::path::Path;

use clap::Args;

use super::{project, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::process::ExitResult;
use crate::registry::{EntryId, EntryKind};
use crate::runtime::{Runtime, SpawnTies};
use crate::value::Value;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// A command (`meta.command.name` of a process entry), or `list`.
    pub name: Option<String>,
    /// Arguments for the command (`io.args()`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
    /// Run this entry (a process.lua or function.lua) instead of a named command.
    #[arg(long, value_name = "ID")]
    pub exec: Option<String>,
    /// Host to run the command on (default: the terminal host).
    #[arg(long, value_name = "ID")]
    pub host: Option<String>,
}

pub fn run(project_dir: &Path, config: &[std::path::PathBuf], args: &RunArgs) -> i32 {
    let rt = match project::start(project_dir, config) {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let code = if args.name.as_deref() == Some("list") && args.exec.is_none() {
        list_commands(&rt)
    } else {
        match command_entry(&rt, args) {
            Ok(Some(id)) => run_command(&rt, &id, args),
            Ok(None) => run_services(&rt),
            Err(code) => code,
        }
    };
    rt.shutdown();
    code
}

fn find_command(rt: &Runtime, name: &str) -> Option<EntryId> {
    rt.registry()
        .entries()
        .find(|e| e.meta.command.as_ref().is_some_and(|c| c.name == name) && matches!(e.kind, EntryKind::Lua(_)))
        .map(|e| e.id.clone())
}

fn list_commands(rt: &Runtime) -> i32 {
    let registry = rt.registry();
    let mut any = false;
    for e in registry.entries() {
        if let Some(c) = &e.meta.command {
            any = true;
            println!("{:<16} {}  ({})", c.name, c.short.as_deref().unwrap_or(""), e.id);
        }
    }
    if !any {
        println!("this project has no commands (entries with meta.command)");
    }
    EXIT_OK
}

fn run_command(rt: &Runtime, id: &EntryId, args: &RunArgs) -> i32 {
    let exited = match spawn_command(rt, id, args) {
        Ok(rx) => rx,
        Err(code) => return code,
    };
    let services = crate::supervisor::start_services(rt);
    let result = exited.recv();
    services.stop();
    exit_code(id, result.ok())
}

/// The command/entry to run, from `NAME` or `--exec` (`None`: run the services). `Err` is the
/// exit code after the error was printed.
pub(super) fn command_entry(rt: &Runtime, args: &RunArgs) -> Result<Option<EntryId>, i32> {
    if let Some(id) = &args.exec {
        return match EntryId::parse(id) {
            Some(id) => Ok(Some(id)),
            None => {
                eprintln!("error: --exec takes a full entry ID like app:main, got '{id}'");
                Err(EXIT_USAGE)
            }
        };
    }
    match &args.name {
        Some(name) => match find_command(rt, name) {
            Some(id) => Ok(Some(id)),
            None => {
                eprintln!("error: no command named '{name}'; `wippy run list` shows the commands of this project");
                Err(EXIT_USAGE)
            }
        },
        None => Ok(None),
    }
}

/// Starts the command's process (on the terminal host unless `--host`); its exit comes on the
/// returned channel.
pub(super) fn spawn_command(
    rt: &Runtime,
    id: &EntryId,
    args: &RunArgs,
) -> Result<crossbeam_channel::Receiver<ExitResult>, i32> {
    let _ = crate::lua::api::io::ARGS.set(args.args.clone());
    let host = match &args.host {
        Some(h) => match EntryId::parse(h).and_then(|h| rt.host(&h)) {
            Some(h) => h,
            None => {
                eprintln!("error: no host '{h}' in this project");
                return Err(EXIT_USAGE);
            }
        },
        None => rt.terminal_host(),
    };
    let (tx, rx) = crossbeam_channel::bounded(1);
    let argv: Vec<Value> = args.args.iter().map(|a| Value::str(a)).collect();
    let ties = SpawnTies { observer: Some(tx), ..Default::default() };
    if let Err(e) = crate::lua::spawn_entry(rt, id, &host, argv, ties) {
        eprintln!("error: cannot run {id}: {}", e.message);
        return Err(EXIT_FAILED);
    }
    Ok(rx)
}

/// The exit code for a command's result: a number returned is the code; `false` or an error is 1.
pub(super) fn exit_code(id: &EntryId, result: Option<ExitResult>) -> i32 {
    match result {
        Some(Ok(Value::Int(n))) => n.clamp(0, 255) as i32,
        Some(Ok(Value::Bool(false))) => EXIT_FAILED,
        Some(Ok(_)) => EXIT_OK,
        Some(Err(e)) => {
            eprintln!("error: {id} failed: {}", e.message);
            if let Some(stack) = &e.stack {
                eprintln!("{stack}");
            }
            EXIT_FAILED
        }
        None => EXIT_FAILED,
    }
}

fn run_services(rt: &Runtime) -> i32 {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(());
    }) {
        eprintln!("error: cannot install the Ctrl-C handler: {e}");
        return EXIT_FAILED;
    }
    let services = crate::supervisor::start_services(rt);
    tracing::info!("running; press Ctrl-C to stop");
    let _ = rx.recv();
    tracing::info!("shutting down");
    // A second Ctrl-C while stopping forces the exit.
    std::thread::spawn(move || {
        if rx.recv().is_ok() {
            eprintln!("forced exit");
            std::process::exit(EXIT_FAILED);
        }
    });
    services.stop();
    EXIT_OK
}
