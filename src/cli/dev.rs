//! `wippy dev`: `wippy run` plus a file watch. Each debounced batch of edits prints the changed
//! paths, then either the diagnostics (nothing applied, the old code keeps running) or one line
//! saying what was reloaded and how long it took from the file event to the new code being in
//! place.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use crossbeam_channel::{never, select};

use super::run::{command_entry, exit_code, spawn_command, RunArgs};
use super::{project, Color, EXIT_FAILED, EXIT_OK};
use crate::dev::{Outcome, Reloader, Watch};

#[derive(Args, Debug)]
pub struct DevArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Clear the screen before each reload.
    #[arg(long)]
    pub clear: bool,
}

pub fn run(project_dir: &Path, config: &[PathBuf], color: Color, args: &DevArgs) -> i32 {
    let rt = match project::start(project_dir, config) {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let code = watch_and_run(&rt, project_dir, config, color, args);
    rt.shutdown();
    code
}

fn watch_and_run(
    rt: &crate::runtime::Runtime,
    project_dir: &Path,
    config: &[PathBuf],
    color: Color,
    args: &DevArgs,
) -> i32 {
    let command = match command_entry(rt, &args.run) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (stop_tx, stop_rx) = crossbeam_channel::bounded::<()>(2);
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.try_send(());
    }) {
        eprintln!("error: cannot install the Ctrl-C handler: {e}");
        return EXIT_FAILED;
    }
    let watch = match Watch::start(project_dir) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", project_dir.display());
            return EXIT_FAILED;
        }
    };
    let exited = match &command {
        Some(id) => match spawn_command(rt, id, &args.run) {
            Ok(rx) => rx,
            Err(code) => return code,
        },
        None => never(),
    };
    let mut services = crate::supervisor::start_services(rt);
    let colour = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    };
    let reloader = Reloader { project: project_dir.to_path_buf(), config: config.to_vec(), colour };
    println!("watching {} for changes; press Ctrl-C to stop", project_dir.display());
    let code = loop {
        select! {
            recv(stop_rx) -> _ => break EXIT_OK,
            recv(exited) -> result => break exit_code(command.as_ref().expect("a command runs"), result.ok()),
            recv(watch.changes) -> change => {
                let Ok(change) = change else { break EXIT_FAILED };
                if args.clear {
                    print!("\x1b[2J\x1b[H");
                }
                let paths: Vec<String> = change.paths.iter().map(|p| p.display().to_string()).collect();
                println!("changed: {}", paths.join(", "));
                let started = Instant::now();
                match reloader.reload(rt, &mut services) {
                    Outcome::Rejected { errors, report } => {
                        print!("{report}");
                        let s = if errors == 1 { "" } else { "s" };
                        println!("not reloaded: {errors} error{s}; the running code is unchanged");
                    }
                    Outcome::Applied { summary } => {
                        let now = Instant::now();
                        println!(
                            "reloaded in {} ms ({} ms after the file event): {summary}",
                            now.duration_since(started).as_millis(),
                            now.duration_since(change.first_event).as_millis()
                        );
                    }
                }
            }
        }
    };
    tracing::info!("shutting down");
    services.stop();
    code
}
