//! `wippy dev` on a copy of `examples/hot-upgrade`, edited while it runs: changed code reaches
//! the live counter (same PID, no message lost, no EXIT seen by its monitor), a bad edit is
//! reported and changes nothing, a fix goes live, a non-upgradable service is restarted, and a
//! service added to the YAML starts. Every wait is bounded by a deadline on the output.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

struct Dev {
    child: Child,
    lines: Receiver<String>,
    /// Every stdout line so far.
    seen: Vec<String>,
}

impl Dev {
    fn start(project: &Path) -> Dev {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
            .args(["dev", "-C", project.to_str().unwrap()])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start wippy dev");
        let out = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Dev { child, lines, seen: Vec::new() }
    }

    /// The next line matching `pred`, failing the test after `WAIT`.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("waited {WAIT:?} for {what}; output so far:\n{}", self.seen.join("\n")),
            }
        }
    }

    fn stop(mut self) -> Vec<String> {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                break;
            }
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(50)) {
                self.seen.push(line);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.seen.extend(self.lines.try_iter());
        self.seen
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Rewrites a file as an editor would save it: the whole text, in one write.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} does not contain {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `counter version=V pid=P ...` → (V, P).
fn report(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("counter version=")?;
    let (version, rest) = rest.split_once(" pid=")?;
    let (pid, _) = rest.split_once(' ')?;
    Some((version.to_string(), pid.to_string()))
}

#[test]
fn dev_reloads_edits_into_the_running_project() {
    let _serial = common::serial();
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("hot-upgrade");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hot-upgrade"), &project);
    let counter = project.join("src/counter.lua");
    let mut dev = Dev::start(&project);
    dev.wait_for("the watch to start", |l| l.starts_with("watching "));
    let first = dev.wait_for("the counter's first report", |l| report(l).is_some());
    let (_, pid) = report(&first).unwrap();

    // Edit the counter: it upgrades in place.
    edit(&counter, "local VERSION = 1", "local VERSION = 2");
    let line = dev.wait_for("the reload of counter.lua", |l| l.starts_with("reloaded in ") || l.starts_with("not"));
    assert!(line.contains("OUTDATED sent to 1 process"), "{line}");
    let v2 = dev.wait_for("version 2 reporting", |l| report(l).is_some_and(|(v, _)| v == "2"));
    assert_eq!(report(&v2).unwrap().1, pid, "the upgraded counter has another PID: {v2}");

    // A syntax error: reported with its location, nothing applied; version 2 keeps counting.
    edit(&counter, "local VERSION = 2", "local VERSION = = 2");
    dev.wait_for("the diagnostic", |l| l.contains("src/counter.lua:4:17"));
    dev.wait_for("the refusal", |l| l.starts_with("not reloaded: 1 error"));
    dev.wait_for("version 2 still counting", |l| report(l).is_some_and(|(v, p)| v == "2" && p == pid));

    // The fix goes live in the same process. (The reload line and the upgraded counter's first
    // report come from different threads, in either order: the counter reports again anyway.)
    edit(&counter, "local VERSION = = 2", "local VERSION = 3");
    let line = dev.wait_for("the reload of the fix", |l| l.starts_with("reloaded in ") || l.starts_with("not"));
    assert!(line.contains("changed app:counter"), "{line}");
    let v3 = dev.wait_for("version 3 reporting", |l| report(l).is_some_and(|(v, _)| v == "3"));
    assert_eq!(report(&v3).unwrap().1, pid, "{v3}");

    // The clicker did not opt in to upgrades: its service is restarted with the new code.
    edit(&project.join("src/clicker.lua"), "every 20 ms", "every 20 ms (edited)");
    let line = dev.wait_for("the clicker's reload", |l| l.starts_with("reloaded in ") || l.starts_with("not"));
    assert!(line.contains("restarted app:clicker_service"), "{line}");

    // A service added to the YAML starts.
    std::fs::write(
        project.join("src/greeter.lua"),
        "return { main = function() print('greeter up') process.inbox():receive() end }\n",
    )
    .unwrap();
    let index = project.join("src/_index.yaml");
    let mut yaml = std::fs::read_to_string(&index).unwrap();
    yaml.push_str(
        "\n  - name: greeter\n    kind: process.lua\n    source: file://greeter.lua\n    method: main\n\
         \n  - name: greeter_service\n    kind: process.service\n    process: app:greeter\n    host: app:processes\n    lifecycle: {auto_start: true}\n",
    );
    std::fs::write(&index, yaml).unwrap();
    // The greeter's line and the reload line come from different threads, in either order.
    let (mut greeter_up, mut reload) = (false, None);
    while !greeter_up || reload.is_none() {
        let l = dev.wait_for("the greeter and the YAML reload", |l| {
            l == "greeter up" || l.starts_with("reloaded in ") || l.starts_with("not")
        });
        if l == "greeter up" {
            greeter_up = true;
        } else {
            reload = Some(l);
        }
    }
    let line = reload.unwrap_or_default();
    assert!(line.contains("started app:greeter_service"), "{line}");

    // Invalid YAML: refused, the project keeps running.
    edit(&index, "lifecycle: {auto_start: true}\n", "lifecycle: {auto_start: maybe}\n");
    dev.wait_for("the YAML refusal", |l| l.starts_with("not reloaded"));
    dev.wait_for("version 3 still counting", |l| report(l).is_some_and(|(v, p)| v == "3" && p == pid));

    let seen = dev.stop();
    let bad: Vec<&String> = seen.iter().filter(|l| l.contains("GAP") || l.contains("EXITED")).collect();
    assert!(bad.is_empty(), "a message was lost or the counter exited:\n{}", seen.join("\n"));
}
