//! `wippy new` and `wippy init` through the binary: every template makes a project that passes
//! `wippy check --rules` and `wippy test` as created; names are validated with a suggestion; a
//! non-empty directory is refused unless `--force`; `wippy init` writes a lock the runtime uses.
//!
//! The file list of each template is a snapshot in `tests/snapshots/scaffold/<template>.txt`. A
//! missing or different snapshot fails; `WIPPY_BLESS=1 cargo test --test scaffold` rewrites them.

mod common;

use std::path::{Path, PathBuf};

use common::{serial, wippy};

const TEMPLATES: [&str; 3] = ["basic", "service", "library"];

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// Every file under `dir`, relative, sorted, `/`-separated; `.git` left out.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn assert_snapshot(template: &str, actual: &str) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/scaffold").join(format!("{template}.txt"));
    if std::env::var_os("WIPPY_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run `WIPPY_BLESS=1 cargo test --test scaffold` to create it\nactual:\n{actual}",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "files of template {template} differ from {} (WIPPY_BLESS=1 to accept)",
        path.display()
    );
}

/// Creates `demo` from `template` in a new temp dir, checks what was printed and written, then
/// runs the project's checks and tests.
fn template_passes_check_and_test(template: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let new = wippy(&["new", "demo", "--template", template, "--no-git", "-C", s(tmp.path())]);
    assert_eq!(new.code, Some(0), "{}", new.dump());
    let dir = tmp.path().join("demo");
    let files = files_under(&dir);
    assert_snapshot(template, &(files.join("\n") + "\n"));

    // One `created` line per file written, and the next steps.
    let created: Vec<&str> = new.stdout.lines().filter_map(|l| l.strip_prefix("created ")).collect();
    let mut expected: Vec<String> = files.iter().map(|f| format!("{}/{f}", dir.display())).collect();
    let mut printed: Vec<String> = created.iter().map(|c| c.to_string()).collect();
    expected.sort();
    printed.sort();
    assert_eq!(printed, expected, "{}", new.dump());
    assert!(new.stdout.contains(&format!("next steps:\n  cd {}\n", dir.display())), "{}", new.dump());
    assert!(!dir.join(".git").exists(), "--no-git made a repository");

    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.starts_with("# demo\n"), "README not rendered with the name:\n{readme}");

    let _one = serial();
    let check = wippy(&["check", "--rules", "-C", s(&dir)]);
    assert_eq!(check.code, Some(0), "{}", check.dump());
    assert!(check.last_line().ends_with("no problems"), "{}", check.dump());

    let test = wippy(&["test", "-C", s(&dir)]);
    assert_eq!(test.code, Some(0), "{}", test.dump());
    let last = test.last_line();
    let passed: u32 = last
        .strip_suffix(" passed, 0 failed")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("last line is not `N passed, 0 failed`\n{}", test.dump()));
    assert!(passed >= 2, "template {template} has {passed} tests\n{}", test.dump());
}

#[test]
fn basic_template_passes_check_and_test_as_created() {
    template_passes_check_and_test("basic");
}

#[test]
fn service_template_passes_check_and_test_as_created() {
    template_passes_check_and_test("service");
}

#[test]
fn library_template_passes_check_and_test_as_created() {
    template_passes_check_and_test("library");
}

#[test]
fn the_basic_command_runs_in_a_new_project() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(wippy(&["new", "demo", "--no-git", "-C", s(tmp.path())]).code, Some(0));
    let _one = serial();
    let run = wippy(&["run", "-C", s(&tmp.path().join("demo")), "hello", "Ada"]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert_eq!(run.stdout, "Hello, Ada!\n", "{}", run.dump());
}

#[test]
fn new_lists_every_template_with_the_default_marked() {
    let run = wippy(&["new", "--list"]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    let names: Vec<&str> = run.stdout.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(names, TEMPLATES, "{}", run.dump());
    assert!(run.stdout.lines().next().unwrap().ends_with("(default)"), "{}", run.dump());
}

#[test]
fn invalid_names_are_refused_with_a_valid_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    for (bad, suggestion) in [("My App", "my_app"), ("end", "end_app"), ("9lives", "lives"), ("a.b", "a_b")] {
        let run = wippy(&["new", bad, "--no-git", "-C", s(tmp.path())]);
        assert_eq!(run.code, Some(2), "{bad}\n{}", run.dump());
        assert!(run.stderr.contains(&format!("invalid project name '{bad}'")), "{}", run.dump());
        assert!(run.stderr.contains(&format!("try `wippy new {suggestion}`")), "{}", run.dump());
    }
    assert!(files_under(tmp.path()).is_empty(), "a refused name wrote files: {:?}", files_under(tmp.path()));
}

#[test]
fn an_unknown_template_is_refused_with_the_list() {
    let tmp = tempfile::tempdir().unwrap();
    let run = wippy(&["new", "demo", "--template", "nope", "--no-git", "-C", s(tmp.path())]);
    assert_eq!(run.code, Some(2), "{}", run.dump());
    assert!(run.stderr.contains("unknown template 'nope'"), "{}", run.dump());
    assert!(run.stderr.contains("basic, service, library"), "{}", run.dump());
    assert!(!tmp.path().join("demo").exists());
}

#[test]
fn a_non_empty_directory_is_refused_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("README.md"), "old readme").unwrap();

    let refused = wippy(&["new", "demo", "--no-git", "-C", s(tmp.path())]);
    assert_eq!(refused.code, Some(2), "{}", refused.dump());
    assert!(refused.stderr.contains("is not empty"), "{}", refused.dump());
    assert!(refused.stderr.contains("--force"), "{}", refused.dump());
    assert_eq!(files_under(&dir), ["README.md", "notes.txt"], "a refused run changed the directory");
    assert_eq!(std::fs::read_to_string(dir.join("README.md")).unwrap(), "old readme");

    let forced = wippy(&["new", "demo", "--force", "--no-git", "-C", s(tmp.path())]);
    assert_eq!(forced.code, Some(0), "{}", forced.dump());
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine", "--force removed a file of the user's");
    assert!(std::fs::read_to_string(dir.join("README.md")).unwrap().starts_with("# demo\n"));
    assert!(dir.join("src/_index.yaml").is_file());
    // Nothing of the staging directory is left beside the project.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn an_empty_directory_is_filled_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("demo")).unwrap();
    let run = wippy(&["new", "demo", "--template", "library", "--no-git", "-C", s(tmp.path())]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert!(tmp.path().join("demo/src/semver.lua").is_file());
}

fn git_available() -> bool {
    std::process::Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn git_init_runs_outside_a_repository_and_not_inside_one() {
    if !git_available() {
        eprintln!("git is not installed: skipping the git checks");
        return;
    }
    let outside = tempfile::tempdir().unwrap();
    let run = wippy(&["new", "demo", "-C", s(outside.path())]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert!(outside.path().join("demo/.git").is_dir(), "{}", run.dump());
    assert!(run.stdout.contains("initialized a git repository"), "{}", run.dump());

    let repo = tempfile::tempdir().unwrap();
    let init = std::process::Command::new("git").args(["init", "--quiet"]).current_dir(repo.path()).status().unwrap();
    assert!(init.success());
    let run = wippy(&["new", "demo", "-C", s(repo.path())]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert!(!repo.path().join("demo/.git").exists(), "a repository was nested in another\n{}", run.dump());
    assert!(run.stdout.contains("is inside a git repository"), "{}", run.dump());
}

/// A tree with definitions under `code/` instead of `./src`: without a lock it does not load.
fn write_unlocked_tree(dir: &Path) {
    std::fs::create_dir_all(dir.join("code")).unwrap();
    std::fs::write(
        dir.join("code/_index.yaml"),
        "namespace: app\nentries:\n  - name: greet\n    kind: process.lua\n    source: file://greet.lua\n    method: main\n    modules: [io]\n    meta:\n      command: {name: greet}\n  - name: greet_test\n    kind: function.lua\n    source: file://greet.lua\n    method: test\n    meta: {type: test}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("code/greet.lua"),
        "-- A command and a test.\nlocal function main()\n  require(\"io\").print(\"hi from code/\")\n  return 0\nend\n\nlocal function test()\n  return true\nend\n\nreturn { main = main, test = test }\n",
    )
    .unwrap();
}

#[test]
fn init_writes_a_lock_that_run_and_test_then_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_unlocked_tree(dir);
    let _one = serial();
    let before = wippy(&["test", "-C", s(dir)]);
    assert_eq!(before.code, Some(2), "the tree loaded without a lock\n{}", before.dump());

    let init = wippy(&["init", "--src-dir", "./code", "-C", s(dir)]);
    assert_eq!(init.code, Some(0), "{}", init.dump());
    assert_eq!(
        std::fs::read_to_string(dir.join("wippy.lock")).unwrap(),
        "directories:\n  modules: .wippy\n  src: ./code\n"
    );
    assert!(init.stdout.contains("the project loads"), "{}", init.dump());

    let test = wippy(&["test", "-C", s(dir)]);
    assert_eq!(test.code, Some(0), "{}", test.dump());
    assert_eq!(test.last_line(), "1 passed, 0 failed", "{}", test.dump());
    let run = wippy(&["run", "-C", s(dir), "greet"]);
    assert_eq!(run.code, Some(0), "{}", run.dump());
    assert_eq!(run.stdout, "hi from code/\n", "{}", run.dump());
}

#[test]
fn init_never_replaces_a_lock_and_needs_the_source_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let missing = wippy(&["init", "-C", s(dir)]);
    assert_eq!(missing.code, Some(2), "{}", missing.dump());
    assert!(
        missing.stderr.contains("source directory") && missing.stderr.contains("does not exist"),
        "{}",
        missing.dump()
    );
    assert!(!dir.join("wippy.lock").exists());

    std::fs::create_dir(dir.join("src")).unwrap();
    std::fs::write(dir.join("wippy.lock"), "directories:\n  src: ./elsewhere\n").unwrap();
    let exists = wippy(&["init", "-C", s(dir)]);
    assert_eq!(exists.code, Some(2), "{}", exists.dump());
    assert!(exists.stderr.contains("already exists"), "{}", exists.dump());
    assert_eq!(std::fs::read_to_string(dir.join("wippy.lock")).unwrap(), "directories:\n  src: ./elsewhere\n");
}
