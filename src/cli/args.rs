//! A small command-line parser: flags with values, repeated flags, switches, positionals.

use super::CliError;

/// Parsed arguments: `--name value` pairs in order, `--switch`es and positionals.
#[derive(Debug, Default)]
pub struct Args {
    values: Vec<(String, String)>,
    switches: Vec<String>,
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
}

impl Args {
    /// Parses `args`: `value_flags` take a value (`--out FILE` or `--out=FILE`),
    /// `switch_flags` do not; anything else starting with `--` is an error.
    ///
    /// # Errors
    ///
    /// An unknown flag, or a value flag without its value.
    pub fn parse(
        args: Vec<String>,
        value_flags: &[&str],
        switch_flags: &[&str],
    ) -> Result<Self, CliError> {
        let mut parsed = Args::default();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            if !arg.starts_with("--") || arg == "--" {
                parsed.positional.push(arg);
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (arg.clone(), None),
            };
            if value_flags.contains(&name.as_str()) {
                let value = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .ok_or_else(|| CliError::usage(format!("{name} needs a value")))?,
                };
                parsed.values.push((name, value));
            } else if switch_flags.contains(&name.as_str()) && inline.is_none() {
                parsed.switches.push(name);
            } else {
                let mut known: Vec<&str> =
                    value_flags.iter().chain(switch_flags).copied().collect();
                known.sort_unstable();
                return Err(CliError::usage(format!(
                    "unknown option {arg}{}",
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (options here: {})", known.join(", "))
                    }
                )));
            }
        }
        Ok(parsed)
    }

    /// Every value of a repeatable flag, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of a flag given at most once.
    ///
    /// # Errors
    ///
    /// The flag was given more than once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, CliError> {
        match self.all(name).as_slice() {
            [] => Ok(None),
            [v] => Ok(Some(v)),
            _ => Err(CliError::usage(format!("{name} given more than once"))),
        }
    }

    /// Whether a switch was given.
    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_values_switches_and_positionals() {
        let a = Args::parse(
            strings(&[
                "a.txt",
                "--variant",
                "int8",
                "--variant=pruned",
                "--json",
                "b.txt",
            ]),
            &["--variant"],
            &["--json"],
        )
        .unwrap();
        assert_eq!(a.all("--variant"), vec!["int8", "pruned"]);
        assert!(a.has("--json"));
        assert_eq!(a.positional, vec!["a.txt", "b.txt"]);
        assert!(a.one("--variant").is_err());
    }

    #[test]
    fn rejects_unknown_flags_and_missing_values() {
        let e = Args::parse(strings(&["--frobnicate"]), &["--out"], &[]).unwrap_err();
        assert_eq!(e.status, 2);
        assert!(e
            .message
            .contains("unknown option --frobnicate (options here: --out)"));
        let e = Args::parse(strings(&["--out"]), &["--out"], &[]).unwrap_err();
        assert_eq!(e.message, "--out needs a value");
    }
}
