//! The crate's layering, checked on its sources and those of `crates/kernels` (in the spirit
//! of rust-analyzer's `tidy.rs`): every file opens with `//!` docs; no two files import each
//! other; the folders (top-level modules) import each other without a cycle; the core never
//! names the browser shell or the command-line tool, and the statistics never name
//! presentation; a file of more than [`LONG_FILE_LINES`] lines of code says at its top why it
//! is long.
//!
//! An import is any path `crate::a::b::...` or `super::...` outside comments and outside a
//! file's `#[cfg(test)] mod tests`, resolved to the longest prefix that is a module file.
//! A folder's `mod.rs` is its public face: it declares and re-exports its children, and a
//! child may use what the folder defines, so pairs with a `mod.rs` are not counted as files
//! importing each other (the folder graph counts them).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lines of code (not blank, not comments, tests excluded) above which a file says why.
const LONG_FILE_LINES: usize = 400;

/// The marker of that reason, at the start of a `//!` line.
const LONG_FILE_MARKER: &str = "//! Why this file is long:";

/// Folders of the core that must never import the browser shell or the command-line tool.
const SHELLS: [&str; 3] = ["web", "bin", "cli"];

/// What the statistics must not import: presentation (number formatting and sentences).
const PRESENTATION: [&str; 3] = ["format", "report", "view"];

struct Source {
    /// Path below `src/`, with `/` separators.
    rel: String,
    /// The file's text up to its unit tests.
    code: String,
    /// The whole text.
    text: String,
}

/// The main crate's sources (below `src/`).
fn sources() -> Vec<Source> {
    sources_in(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// The kernels crate's sources (below `crates/kernels/src/`; their `rel` is below that).
fn kernel_sources() -> Vec<Source> {
    sources_in(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/kernels/src"))
}

/// Every source of both crates, `rel` below the repository root, for the per-file checks.
fn all_sources() -> Vec<Source> {
    let main = sources().into_iter().map(|s| Source {
        rel: format!("src/{}", s.rel),
        ..s
    });
    let kernels = kernel_sources().into_iter().map(|s| Source {
        rel: format!("crates/kernels/src/{}", s.rel),
        ..s
    });
    main.chain(kernels).collect()
}

fn sources_in(root: &Path) -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a source file");
            let rel = p
                .strip_prefix(root)
                .expect("below src/")
                .to_string_lossy()
                .replace('\\', "/");
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_string(),
                None => text.clone(),
            };
            Source { rel, code, text }
        })
        .collect()
}

/// The module path of a file: `model/train/mod.rs` is `["model", "train"]`.
fn module_path(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The first segment of a file's path: its folder, or the file itself at the top level.
fn folder(rel: &str) -> String {
    let first = rel.split('/').next().unwrap_or(rel);
    first.trim_end_matches(".rs").to_string()
}

fn is_folder_face(rel: &str) -> bool {
    rel == "lib.rs" || rel.ends_with("/mod.rs") || !rel.contains('/')
}

/// The code of `text` without comments (line comments, and doc comments with them).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string ("https://...") is rare in paths' lines; the paths
            // themselves never contain one.
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths `crate::...` and `super::...` in `code`, as segments after the keyword
/// (`super` resolved against `module`).
fn paths_in(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for keyword in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(keyword) {
            let at = from + found;
            from = at + keyword.len();
            let preceded =
                at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
            if preceded {
                continue;
            }
            let mut base: Vec<String> = if keyword == "crate::" {
                Vec::new()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            let mut rest = &code[at + keyword.len()..];
            while let Some(after) = rest.strip_prefix("super::") {
                base.pop();
                rest = after;
            }
            let mut segments = Vec::new();
            loop {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                if end == 0 {
                    break;
                }
                segments.push(rest[..end].to_string());
                match rest[end..].strip_prefix("::") {
                    Some(next) => rest = next,
                    None => break,
                }
            }
            base.extend(segments);
            out.push(base);
        }
    }
    out
}

/// Each file's imports of other files.
fn import_graph(sources: &[Source]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeMap<Vec<String>, String> = sources
        .iter()
        .map(|s| (module_path(&s.rel), s.rel.clone()))
        .collect();
    sources
        .iter()
        .map(|s| {
            let module = module_path(&s.rel);
            let targets = paths_in(&without_comments(&s.code), &module)
                .into_iter()
                .filter_map(|path| {
                    (1..=path.len())
                        .rev()
                        .find_map(|k| modules.get(&path[..k]))
                        .cloned()
                })
                .filter(|target| *target != s.rel)
                .collect();
            (s.rel.clone(), targets)
        })
        .collect()
}

#[test]
fn every_file_opens_with_module_docs() {
    let missing: Vec<String> = all_sources()
        .into_iter()
        .filter(|s| !s.text.trim_start().starts_with("//!"))
        .map(|s| s.rel)
        .collect();
    assert!(missing.is_empty(), "files without `//!` docs: {missing:?}");
}

#[test]
fn no_two_files_import_each_other() {
    let sources = sources();
    assert!(sources.len() > 100, "{} files", sources.len());
    let kernels = kernel_sources();
    assert!(kernels.len() > 5, "{} kernel files", kernels.len());
    let mut pairs = Vec::new();
    for (crate_dir, sources) in [("src", sources), ("crates/kernels/src", kernels)] {
        let graph = import_graph(&sources);
        for (a, targets) in &graph {
            for b in targets {
                let mutual = graph.get(b).is_some_and(|t| t.contains(a));
                if a < b && mutual && !is_folder_face(a) && !is_folder_face(b) {
                    pairs.push(format!("{crate_dir}: {a} <-> {b}"));
                }
            }
        }
    }
    assert!(pairs.is_empty(), "files importing each other: {pairs:#?}");
}

#[test]
fn the_folders_import_each_other_without_a_cycle() {
    let graph = import_graph(&sources());
    let mut folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut why: BTreeMap<(String, String), String> = BTreeMap::new();
    for (a, targets) in &graph {
        for b in targets {
            let (fa, fb) = (folder(a), folder(b));
            if fa != fb && fa != "lib" && fb != "lib" {
                folders.entry(fa.clone()).or_default().insert(fb.clone());
                why.entry((fa, fb)).or_insert_with(|| format!("{a} -> {b}"));
            }
        }
    }
    // Depth-first search for a back edge; the cycle is printed with one import per step.
    fn visit(
        node: &str,
        folders: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in folders.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|n| n == next).expect("on the stack");
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(next, folders, state, stack) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in folders.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(node, &folders, &mut state, &mut Vec::new()) {
                let steps: Vec<&String> = cycle
                    .windows(2)
                    .map(|w| &why[&(w[0].clone(), w[1].clone())])
                    .collect();
                panic!("the folders {cycle:?} import each other in a cycle: {steps:#?}");
            }
        }
    }
}

#[test]
fn the_core_never_names_the_shells_and_the_statistics_no_presentation() {
    let graph = import_graph(&sources());
    let mut wrong = Vec::new();
    for (a, targets) in &graph {
        let from = folder(a);
        for b in targets {
            let to = folder(b);
            let shell_import =
                !SHELLS.contains(&from.as_str()) && from != "lib" && SHELLS.contains(&to.as_str());
            let stats_presentation = from == "stats" && PRESENTATION.contains(&to.as_str());
            if shell_import || stats_presentation {
                wrong.push(format!("{a} -> {b}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports across the layers: {wrong:#?}");
}

#[test]
fn long_files_say_why() {
    let mut long = Vec::new();
    for s in all_sources() {
        let lines = without_comments(&s.code)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count();
        let has_reason = s
            .text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .any(|l| l.starts_with(LONG_FILE_MARKER) && l.len() > LONG_FILE_MARKER.len() + 10);
        if lines > LONG_FILE_LINES && !has_reason {
            long.push(format!("{} ({lines} lines of code)", s.rel));
        }
    }
    assert!(
        long.is_empty(),
        "files over {LONG_FILE_LINES} lines of code without a `{LONG_FILE_MARKER}` line at \
         their top: {long:#?}"
    );
}
