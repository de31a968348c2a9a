//! The project templates of `wippy new`, embedded in the binary from `templates/<name>/`, and
//! their rendering.
//!
//! A file whose name ends in `.tera` is a tera template: it is rendered with the variable `name`
//! (the project's name) and written without the suffix. Every other file is copied as it is, so
//! Lua sources never need escaping (`{#t}` is a Lua table, not a tera comment).

use std::path::PathBuf;

/// One file of a template, as stored under `templates/<template>/`.
#[derive(Debug)]
pub struct TemplateFile {
    /// Relative path, `/`-separated.
    pub path: &'static str,
    pub text: &'static str,
}

/// A project template.
#[derive(Debug)]
pub struct Template {
    pub name: &'static str,
    pub summary: &'static str,
    pub files: &'static [TemplateFile],
    /// Commands to suggest once the project exists, run inside it.
    pub next_steps: &'static [&'static str],
}

pub const DEFAULT_TEMPLATE: &str = "basic";

const TERA_SUFFIX: &str = ".tera";

macro_rules! files {
    ($template:literal: $($path:literal),* $(,)?) => {
        &[$(TemplateFile {
            path: $path,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $template, "/", $path)),
        }),*]
    };
}

/// Every template, the default first. A unit test checks that each list is exactly the files on
/// disk, so a file added under `templates/` cannot be left out of the binary.
pub static TEMPLATES: &[Template] = &[
    Template {
        name: "basic",
        summary: "a terminal command and a supervised worker service",
        files: files!("basic": ".gitignore", "README.md.tera", "wippy.lock", "src/_index.yaml", "src/client.lua",
            "src/hello.lua", "src/worker.lua", "src/worker_test.lua"),
        next_steps: &["wippy dev", "wippy run hello", "wippy test", "wippy check --rules"],
    },
    Template {
        name: "service",
        summary: "two services with registered names, request/reply, restarts and dependencies",
        files: files!("service": ".gitignore", "README.md.tera", "wippy.lock", "src/_index.yaml", "src/counter.lua",
            "src/counter_test.lua", "src/hits.lua", "src/rpc.lua", "src/store.lua", "src/store_test.lua"),
        next_steps: &["wippy dev", "wippy run hits 5", "wippy test", "wippy check --rules"],
    },
    Template {
        name: "library",
        summary: "a library entry (semantic versions) with its tests and a command using it",
        files: files!("library": ".gitignore", "README.md.tera", "wippy.lock", "src/_index.yaml", "src/semver.lua",
            "src/semver_test.lua", "src/sort.lua"),
        next_steps: &["wippy test", "wippy run sort 1.10.0 1.2.0 1.2.0-beta", "wippy check --rules"],
    },
];

pub fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

pub fn names() -> Vec<&'static str> {
    TEMPLATES.iter().map(|t| t.name).collect()
}

/// A template file that tera could not render (a bug in the template, caught by the tests).
#[derive(Debug, thiserror::Error)]
#[error("template {template}: cannot render {path}: {source}")]
pub struct RenderError {
    pub template: &'static str,
    pub path: &'static str,
    #[source]
    pub source: tera::Error,
}

/// The files of `template` for a project called `name`: relative output paths and contents.
pub fn render(template: &Template, name: &str) -> Result<Vec<(PathBuf, String)>, RenderError> {
    let mut ctx = tera::Context::new();
    ctx.insert("name", name);
    template
        .files
        .iter()
        .map(|f| match f.path.strip_suffix(TERA_SUFFIX) {
            Some(out) => tera::Tera::one_off(f.text, &ctx, false)
                .map(|text| (PathBuf::from(out), text))
                .map_err(|source| RenderError { template: template.name, path: f.path, source }),
            None => Ok((PathBuf::from(f.path), f.text.to_string())),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn files_on_disk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_on_disk(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }

    #[test]
    fn every_template_embeds_exactly_the_files_of_its_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut folders: Vec<String> =
            std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        folders.sort();
        let mut known = names();
        known.sort();
        assert_eq!(folders, known, "templates/ folders and TEMPLATES disagree");
        for t in TEMPLATES {
            let mut on_disk = Vec::new();
            files_on_disk(&root.join(t.name), &root.join(t.name), &mut on_disk);
            on_disk.sort();
            let mut embedded: Vec<String> = t.files.iter().map(|f| f.path.to_string()).collect();
            embedded.sort();
            assert_eq!(embedded, on_disk, "template {}", t.name);
        }
    }

    #[test]
    fn tera_files_are_rendered_and_lose_their_suffix() {
        let t = find("basic").unwrap();
        let files = render(t, "demo").unwrap();
        let (_, readme) = files.iter().find(|(p, _)| p == Path::new("README.md")).unwrap();
        assert!(readme.starts_with("# demo\n"), "{readme}");
        assert!(files.iter().all(|(p, _)| !p.to_string_lossy().ends_with(TERA_SUFFIX)));
    }

    #[test]
    fn the_default_template_exists() {
        assert!(find(DEFAULT_TEMPLATE).is_some());
        assert_eq!(TEMPLATES[0].name, DEFAULT_TEMPLATE);
    }
}
