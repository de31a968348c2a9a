//! One reload of `wippy dev`: check the project as `wippy check` does (errors block the
//! reload, so the old code keeps running), load the new registry, install it in the runtime
//! (OUTDATED to opted-in processes) and bring the services in line (restart, start, stop).

use std::path::PathBuf;
use std::sync::Arc;

use crate::lint::{self, render, Quiet, Settings};
use crate::registry::Registry;
use crate::runtime::Runtime;
use crate::supervisor::Services;

pub struct Reloader {
    pub project: PathBuf,
    pub config: Vec<PathBuf>,
    pub colour: bool,
}

#[derive(Debug)]
pub enum Outcome {
    /// The project has errors: nothing was applied. `report` is what to show, as `wippy check`
    /// shows it.
    Rejected { errors: usize, report: String },
    /// Applied; `summary` says what changed and what was done about it.
    Applied { summary: String },
}

impl Reloader {
    pub fn reload(&self, rt: &Runtime, services: &mut Services) -> Outcome {
        let settings = match Settings::load(&self.config, &self.project.join(".wippy.yaml")) {
            Ok(s) => s,
            Err(e) => return Outcome::Rejected { errors: 1, report: format!("error: {e}") },
        };
        match lint::check_project(&self.project, &settings, &Quiet) {
            Ok(report) if report.errors() > 0 => {
                let mut sources = render::Sources::new(&report);
                let errors: Vec<_> =
                    report.diagnostics.iter().filter(|d| d.severity == crate::diagnostic::Severity::Error).collect();
                let mut text = String::new();
                for d in &errors {
                    text.push_str(&render::human(d, &mut sources, self.colour));
                    text.push('\n');
                }
                return Outcome::Rejected { errors: errors.len(), report: text };
            }
            Ok(_) => {}
            Err(e) => return Outcome::Rejected { errors: 1, report: format!("error: {e}") },
        }
        let registry = match Registry::load(&self.project) {
            Ok(r) => r,
            Err(diags) => return Outcome::Rejected { errors: diags.errors().count(), report: diags.to_string() },
        };
        let reloaded = match rt.reload(Arc::new(registry)) {
            Ok(r) => r,
            Err(e) => return Outcome::Rejected { errors: 1, report: format!("error: {e}") },
        };
        let changes = services.apply(&reloaded.diff);
        let d = &reloaded.diff;
        let mut parts = Vec::new();
        let list = |ids: &[crate::registry::EntryId]| ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
        if d.is_empty() {
            parts.push("no entry changed".to_string());
        }
        if !d.changed.is_empty() {
            parts.push(format!("changed {}", list(&d.changed)));
        }
        if !d.added.is_empty() {
            parts.push(format!("added {}", list(&d.added)));
        }
        if !d.removed.is_empty() {
            parts.push(format!("removed {}", list(&d.removed)));
        }
        if reloaded.outdated > 0 {
            let s = if reloaded.outdated == 1 { "" } else { "es" };
            parts.push(format!("OUTDATED sent to {} process{s}", reloaded.outdated));
        }
        for (what, ids) in
            [("restarted", &changes.restarted), ("started", &changes.started), ("stopped", &changes.stopped)]
        {
            if !ids.is_empty() {
                parts.push(format!("{what} {}", ids.join(", ")));
            }
        }
        if !reloaded.hosts_started.is_empty() {
            parts.push(format!("started host {}", list(&reloaded.hosts_started)));
        }
        Outcome::Applied { summary: parts.join("; ") }
    }
}
