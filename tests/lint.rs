//! Snapshot tests of `wippy check`: every case under `tests/lint/` is checked by the built binary
//! with every rule on, and its rendered output (plus the exit code) must equal the `.expected`
//! file beside it.
//!
//! - `tests/lint/<rule>/<case>.lua` is checked as a plain file (`wippy check --rules FILE`); the
//!   snapshot is `<case>.expected`.
//! - A folder with a `src/` inside is a project (`wippy check --rules -C DIR`); the snapshot is
//!   `<folder>.expected` beside the folder.
//!
//! Absolute paths to the checkout are written `$ROOT`. A missing snapshot fails.
//! `WIPPY_BLESS=1 cargo test --test lint` writes the snapshots that are missing or different, to be
//! read and reviewed before they are committed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn dump(&self) -> String {
        format!("exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs the built `wippy` with `args` in `dir`.
fn wippy_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_wippy"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run wippy");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

enum Case {
    File(PathBuf),
    Project(PathBuf),
}

impl Case {
    fn expected(&self) -> PathBuf {
        match self {
            Case::File(p) => p.with_extension("expected"),
            Case::Project(p) => p.with_extension("expected"),
        }
    }

    /// The output as a user would see it, paths relative to the crate root.
    fn run(&self) -> String {
        let rel =
            |p: &Path| p.strip_prefix(root()).expect("case inside the crate").to_str().expect("utf-8").to_string();
        let run = match self {
            Case::File(p) => wippy_in(&root(), &["check", "--rules", "--color", "never", &rel(p)]),
            Case::Project(p) => wippy_in(&root(), &["check", "--rules", "--color", "never", "-C", &rel(p)]),
        };
        let code = run.code.map_or("killed by a signal".to_string(), |c| c.to_string());
        let text = format!("{}{}exit code: {code}\n", run.stdout, run.stderr);
        // The loader names some files by absolute path; snapshots must not depend on the checkout.
        text.replace(root().to_str().expect("utf-8"), "$ROOT")
    }
}

fn cases(dir: &Path, out: &mut Vec<Case>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("read case folder").map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.join("src").is_dir() {
                out.push(Case::Project(path));
            } else {
                cases(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "lua") {
            out.push(Case::File(path));
        }
    }
}

#[test]
fn every_case_matches_its_snapshot() {
    let bless = std::env::var_os("WIPPY_BLESS").is_some();
    let mut all = Vec::new();
    cases(&root().join("tests/lint"), &mut all);
    assert!(!all.is_empty(), "no cases found");
    let mut failures = Vec::new();
    for case in &all {
        let actual = case.run();
        let expected_path = case.expected();
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) if !bless => failures
                .push(format!("{} differs:\n--- expected\n{expected}--- actual\n{actual}", expected_path.display())),
            Err(_) if !bless => failures.push(format!(
                "{} is missing (write it with WIPPY_BLESS=1 and review it); output:\n{actual}",
                expected_path.display()
            )),
            _ => std::fs::write(&expected_path, &actual).expect("write snapshot"),
        }
    }
    assert!(failures.is_empty(), "{} of {} snapshots fail:\n\n{}", failures.len(), all.len(), failures.join("\n"));
}

/// Every rule has its folder of cases, and every code in docs/codes.md shows up in a snapshot.
#[test]
fn every_rule_and_code_is_covered() {
    let base = root().join("tests/lint");
    for rule in wippy::lint::rules() {
        let dir = base.join(rule.name);
        let has_case = dir.is_dir() && std::fs::read_dir(&dir).map(|d| d.count() > 0).unwrap_or(false);
        assert!(has_case, "rule {} ({}) has no cases in {}", rule.name, rule.code, dir.display());
    }
    let mut snapshots = String::new();
    let mut stack = vec![base];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "expected") {
                snapshots.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let docs = std::fs::read_to_string(root().join("docs/codes.md")).unwrap();
    let codes: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("| ")?.split(' ').next())
        .filter(|c| c.len() == 5 && c[1..].chars().all(|d| d.is_ascii_digit()) && "PRWE".contains(&c[..1]))
        .collect();
    assert!(codes.len() >= 20, "codes.md lists too few codes: {codes:?}");
    let missing: Vec<&&str> = codes.iter().filter(|c| !snapshots.contains(&format!("[{c}]"))).collect();
    assert!(missing.is_empty(), "codes documented but in no snapshot: {missing:?}");
    for rule in wippy::lint::rules() {
        assert!(codes.contains(&rule.code), "{} ({}) is not documented in docs/codes.md", rule.code, rule.name);
    }
}

/// The repository's own Lua (every example and template project) checks clean with every rule on.
#[test]
fn examples_and_templates_check_clean() {
    let mut checked = 0;
    for tree in ["examples", "templates"] {
        let Ok(dirs) = std::fs::read_dir(root().join(tree)) else { continue };
        let mut dirs: Vec<PathBuf> = dirs.map(|d| d.unwrap().path()).filter(|d| d.join("src").is_dir()).collect();
        dirs.sort();
        for dir in dirs {
            let project = format!("{tree}/{}", dir.file_name().unwrap().to_str().unwrap());
            let run = wippy_in(&root(), &["check", "--rules", "-C", &project]);
            assert_eq!(run.code, Some(0), "{project} is not clean:\n{}", run.dump());
            assert!(run.stdout.ends_with("checked: no problems\n"), "{project}:\n{}", run.dump());
            checked += 1;
        }
        let run = wippy_in(&root(), &["check", "--rules", tree]);
        assert!(run.stdout.ends_with("checked: no problems\n"), "{tree} as plain Lua:\n{}", run.dump());
    }
    assert!(checked >= 2, "no example projects found");
}
