//! The `check:` section of `.wippy.yaml` and the `--rules` flag: which rules run and which extra
//! globals exist.
//!
//! ```yaml
//! check:
//!   rules: true                  # style rules on, as with --rules (default false)
//!   enable: [shadowing]          # or codes: [W0005]; these run even without `rules: true`
//!   disable: [unused_parameter]  # never run (also for --rules)
//!   globals: [vim]               # names the runtime provides besides lua-api.md's
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::rule::{Rule, RuleInfo};
use super::rules::ALL;
use super::LintError;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// All style rules.
    #[serde(default)]
    pub rules: bool,
    #[serde(default)]
    pub enable: Vec<String>,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub globals: Vec<String>,
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    check: Option<Settings>,
}

impl Settings {
    /// Reads the `check:` sections of the given config files (later ones add to earlier ones).
    /// A missing default file is no error; a missing file named on the command line is.
    pub fn load(files: &[PathBuf], default: &Path) -> Result<Settings, LintError> {
        let mut settings = Settings::default();
        let defaulted = [default.to_path_buf()];
        let (files, required) = if files.is_empty() { (&defaulted[..], false) } else { (files, true) };
        for file in files {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(LintError::Config { file: file.clone(), why: e.to_string() }),
            };
            if text.trim().is_empty() {
                continue;
            }
            let parsed: ConfigFile = serde_saphyr::from_str(&text)
                .map_err(|e| LintError::Config { file: file.clone(), why: e.to_string() })?;
            if let Some(s) = parsed.check {
                settings.rules |= s.rules;
                settings.enable.extend(s.enable);
                settings.disable.extend(s.disable);
                settings.globals.extend(s.globals);
            }
        }
        Ok(settings)
    }

    /// Adds `--rules` (`all`) or `--rules=a,b`.
    pub fn with_flag(mut self, flag: Option<&str>) -> Settings {
        match flag {
            Some("all") => self.rules = true,
            Some(list) => self.enable.extend(list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
            None => {}
        }
        self
    }

    /// The rules to run: the always-on ones, the style ones when enabled, minus the disabled.
    pub(crate) fn rules(&self) -> Result<Vec<&'static dyn Rule>, LintError> {
        for word in self.enable.iter().chain(&self.disable) {
            if rule_named(word).is_none() {
                let known: Vec<String> = ALL.iter().map(|r| format!("{} ({})", r.info().name, r.info().code)).collect();
                return Err(LintError::UnknownRule { word: word.clone(), known: known.join(", ") });
            }
        }
        let named = |list: &[String], info: &RuleInfo| list.iter().any(|w| info.is_named(w));
        Ok(ALL
            .iter()
            .copied()
            .filter(|r| {
                let info = r.info();
                (!info.style || self.rules || named(&self.enable, info)) && !named(&self.disable, info)
            })
            .collect())
    }
}

fn rule_named(word: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.info().is_named(word))
}
