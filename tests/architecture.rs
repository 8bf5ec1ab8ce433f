//! The layout stays walkable: no cycles between modules (a module's code
//! never uses a module that uses it back, at the top level or among the
//! modules of one folder), and no source file grows past about 700 lines.
//! Doc comments may link anywhere; only code counts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 720;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under src/: `src/models/content/mod.rs` → [models, content].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file
        .strip_prefix(src)
        .expect("under src/")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its unit tests.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b…` path the code names.
fn uses(code: &str) -> Vec<Vec<String>> {
    code.match_indices("crate::")
        .map(|(i, m)| {
            code[i + m.len()..]
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next) {
                Some(1) => {
                    let start = stack.iter().position(|n| n == next).expect("on the stack");
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node) {
            if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn modules_form_no_cycles_and_files_stay_short() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut siblings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("UTF-8 source");
        if text.lines().count() > MAX_LINES {
            long.push(format!(
                "{} ({} lines)",
                file.display(),
                text.lines().count()
            ));
        }
        let from = module_of(&src, file);
        if from.first().is_some_and(|m| m == "bin") || from.is_empty() {
            continue;
        }
        for to in uses(&code(&text)) {
            let Some(first) = to.first() else { continue };
            let is_top_module =
                src.join(first).is_dir() || src.join(format!("{first}.rs")).exists();
            if *first != from[0] && is_top_module {
                top.entry(from[0].clone())
                    .or_default()
                    .insert(first.clone());
            }
            // Modules of one folder: `a::x` using `a::y` (y a module, not an item).
            if let (Some(a), Some(b)) = (from.get(1), to.get(1)) {
                let folder = src.join(first);
                let is_module = folder.join(format!("{b}.rs")).exists() || folder.join(b).is_dir();
                if *first == from[0] && a != b && is_module {
                    siblings
                        .entry(format!("{first}::{a}"))
                        .or_default()
                        .insert(format!("{first}::{b}"));
                }
            }
        }
    }
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
    assert_eq!(find_cycle(&top), None, "a cycle between top-level modules");
    assert_eq!(
        find_cycle(&siblings),
        None,
        "a cycle between modules of one folder"
    );
    // The layers, as the README's architecture section walks them.
    assert!(top["recommend"].contains("models") && !top["models"].contains("recommend"));
    assert!(!top["data"].contains("models") && !top["forecast"].contains("recommend"));
}
