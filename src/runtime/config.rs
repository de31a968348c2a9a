//! The runtime's settings from `.wippy.yaml`: logger encoding and level, security strict mode and
//! environment access. Sections the runtime does not know (such as `check:`, read by the linter)
//! are ignored here.
//!
//! ```yaml
//! logger:
//!   encoding: console        # or json
//!   level: info              # debug, info, warn, error
//! security:
//!   strict_mode: false       # true: a process with no actor or scope is denied everything guarded
//! env:
//!   allow_os: true           # env.get falls back to the OS environment
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuntimeConfig {
    #[serde(default)]
    pub logger: LoggerConfig,
    #[serde(default)]
    pub security: SecurityConfig,
    #[serde(default)]
    pub env: EnvConfig,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogEncoding {
    #[default]
    Console,
    Json,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LoggerConfig {
    #[serde(default)]
    pub encoding: LogEncoding,
    /// `debug`, `info`, `warn` or `error`; none: the command line's choice.
    #[serde(default)]
    pub level: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SecurityConfig {
    #[serde(default)]
    pub strict_mode: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnvConfig {
    #[serde(default = "yes")]
    pub allow_os: bool,
}

impl Default for EnvConfig {
    fn default() -> Self {
        EnvConfig { allow_os: true }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {why}\nhelp: fix the file or remove the section the runtime cannot read", file.display())]
pub struct ConfigError {
    pub file: PathBuf,
    pub why: String,
}

impl RuntimeConfig {
    /// Reads the config files in order (later files override earlier ones, section by section).
    /// A missing default file is no error; a missing file named on the command line is.
    pub fn load(files: &[PathBuf], default: &Path) -> Result<RuntimeConfig, ConfigError> {
        let defaulted = [default.to_path_buf()];
        let (files, required) = if files.is_empty() { (&defaulted[..], false) } else { (files, true) };
        let mut config = RuntimeConfig::default();
        for file in files {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(ConfigError { file: file.clone(), why: e.to_string() }),
            };
            if text.trim().is_empty() {
                continue;
            }
            config = Self::parse(&text).map_err(|why| ConfigError { file: file.clone(), why })?;
        }
        Ok(config)
    }

    pub fn parse(text: &str) -> Result<RuntimeConfig, String> {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            logger: Option<LoggerConfig>,
            #[serde(default)]
            security: Option<SecurityConfig>,
            #[serde(default)]
            env: Option<EnvConfig>,
        }
        let f: File = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        Ok(RuntimeConfig {
            logger: f.logger.unwrap_or_default(),
            security: f.security.unwrap_or_default(),
            env: f.env.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_sections_are_ignored_and_known_ones_read() {
        let c =
            RuntimeConfig::parse("check:\n  rules: true\nsecurity:\n  strict_mode: true\nlogger:\n  encoding: json\n")
                .unwrap();
        assert!(c.security.strict_mode);
        assert_eq!(c.logger.encoding, LogEncoding::Json);
        assert!(c.env.allow_os);
    }

    #[test]
    fn a_mistyped_field_is_an_error() {
        assert!(RuntimeConfig::parse("security:\n  strict_mode: maybe\n").is_err());
    }
}
