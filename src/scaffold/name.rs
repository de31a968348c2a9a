//! Project names for `wippy new`: the rule (cli.md) and a valid name to suggest for a bad one.
//!
//! A name starts with a lowercase ASCII letter, then has only lowercase letters, digits, `_`
//! and `-`, and is not a Lua keyword (the name is used as a directory, and in places where it
//! has to read as a Lua identifier once `-` is replaced by `_`).

use std::fmt;

/// Lua 5.4's reserved words.
const LUA_KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil",
    "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// Why a name was refused, with a valid name close to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidName {
    pub name: String,
    pub reason: &'static str,
    pub suggestion: String,
}

impl fmt::Display for InvalidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid project name '{}': {}", self.name, self.reason)
    }
}

impl std::error::Error for InvalidName {}

/// Accepts a valid name, or says what is wrong and suggests one.
pub fn validate(name: &str) -> Result<(), InvalidName> {
    let reason = if name.is_empty() {
        Some("it is empty")
    } else if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("it must start with a lowercase letter (a-z)")
    } else if !name.chars().all(allowed) {
        Some("it may only contain lowercase letters, digits, '_' and '-'")
    } else if LUA_KEYWORDS.contains(&name) {
        Some("it is a Lua keyword")
    } else {
        None
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(InvalidName { name: name.to_string(), reason, suggestion: suggest(name) }),
    }
}

fn allowed(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
}

/// A valid name made from `name`: lowercased, every run of other characters turned into one
/// `_`, leading characters that cannot start a name dropped; a keyword gets `_app` appended and
/// nothing usable gives `my_app`.
pub fn suggest(name: &str) -> String {
    let mut out = String::new();
    let mut pending_sep = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if allowed(c) {
            if out.is_empty() && !c.is_ascii_lowercase() {
                continue;
            }
            if pending_sep && !out.is_empty() {
                out.push('_');
            }
            pending_sep = false;
            out.push(c);
        } else {
            pending_sep = true;
        }
    }
    let out = out.trim_end_matches(['_', '-']).to_string();
    if out.is_empty() {
        "my_app".to_string()
    } else if LUA_KEYWORDS.contains(&out.as_str()) {
        format!("{out}_app")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names_pass() {
        for n in ["app", "my_app", "my-app", "a1", "x", "end2end"] {
            assert_eq!(validate(n), Ok(()), "{n}");
        }
    }

    #[test]
    fn invalid_names_are_refused_with_a_valid_suggestion() {
        let cases = [
            ("My App", "my_app"),
            ("", "my_app"),
            ("1st", "st"),
            ("end", "end_app"),
            ("Hello.World!", "hello_world"),
            ("___", "my_app"),
            ("café", "caf"),
            ("-x", "x"),
        ];
        for (bad, want) in cases {
            let err = validate(bad).unwrap_err();
            assert_eq!(err.suggestion, want, "{bad}");
            assert_eq!(validate(&err.suggestion), Ok(()), "suggestion for {bad} must itself be valid");
        }
    }

    #[test]
    fn the_reason_names_the_broken_rule() {
        assert_eq!(validate("App").unwrap_err().reason, "it must start with a lowercase letter (a-z)");
        assert_eq!(validate("a b").unwrap_err().reason, "it may only contain lowercase letters, digits, '_' and '-'");
        assert_eq!(validate("local").unwrap_err().reason, "it is a Lua keyword");
    }
}
