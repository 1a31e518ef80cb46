//! The common subset of `.gitignore` patterns, so that opening a folder skips what git
//! would skip: comments, blank lines, `!` negation, a trailing `/` for folders, a
//! leading or inner `/` anchoring to the `.gitignore`'s folder, `*`, `**`, `?` and `[…]`.

use sciguard::glob::matches as glob;

/// One pattern line of a `.gitignore`, with the folder it was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    /// The folder holding the `.gitignore` (`""` at the root, no trailing `/`).
    base: String,
    /// The glob, without `!`, anchoring `/` or trailing `/`.
    glob: Vec<char>,
    /// `!pattern`: re-includes what an earlier pattern excluded.
    negated: bool,
    /// `pattern/`: matches folders only.
    folders_only: bool,
    /// Contains a `/` before its end: matched against the path from `base`, not the name.
    anchored: bool,
}

/// The patterns of every `.gitignore` found in an opened tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gitignore {
    patterns: Vec<Pattern>,
}

impl Gitignore {
    /// Adds the patterns of the `.gitignore` in folder `base` (`""` for the root).
    /// Add shallower files first: later patterns win, as in git.
    pub fn add(&mut self, base: &str, text: &str) {
        let base = base.trim_matches('/').to_string();
        for line in text.lines() {
            // Trailing spaces are ignored unless escaped; `\#` and `\!` start literal patterns.
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (negated, line) = match line.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, line.strip_prefix('\\').unwrap_or(line)),
            };
            let (folders_only, line) = match line.strip_suffix('/') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let anchored = line.contains('/');
            let line = line.strip_prefix('/').unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            self.patterns.push(Pattern {
                base: base.clone(),
                glob: line.chars().collect(),
                negated,
                folders_only,
                anchored,
            });
        }
    }

    /// Whether the file at `path` (`/`-separated, relative to the opened root) is
    /// ignored, by its own name or by one of its folders (git never looks inside an
    /// ignored folder, so a file there cannot be re-included).
    pub fn ignores(&self, path: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let mut folder_end = 0;
        while let Some(i) = path[folder_end..].find('/') {
            folder_end += i;
            if self.matches(&path[..folder_end], true) {
                return true;
            }
            folder_end += 1;
        }
        self.matches(path, false)
    }

    /// The verdict of the last pattern that matches, if any.
    fn matches(&self, path: &str, is_folder: bool) -> bool {
        let mut ignored = false;
        for p in &self.patterns {
            if p.folders_only && !is_folder {
                continue;
            }
            let relative = if p.base.is_empty() {
                path
            } else {
                match path
                    .strip_prefix(p.base.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                {
                    Some(relative) => relative,
                    None => continue,
                }
            };
            let subject = if p.anchored {
                relative
            } else {
                relative.rsplit('/').next().unwrap_or(relative)
            };
            let subject: Vec<char> = subject.chars().collect();
            if glob(&p.glob, &subject) {
                ignored = !p.negated;
            }
        }
        ignored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Gitignore {
        let mut g = Gitignore::default();
        g.add("", text);
        g
    }

    #[test]
    fn names_match_at_any_depth() {
        let g = rules("# build output\n\n*.log\nbuild/\n");
        assert!(g.ignores("app.log"));
        assert!(g.ignores("a/b/app.log"));
        assert!(g.ignores("build/x.py"));
        assert!(g.ignores("src/build/x.py"));
        assert!(!g.ignores("build.py"), "build/ matches folders only");
        assert!(!g.ignores("src/main.py"));
        assert!(!g.ignores("# build output"));
    }

    #[test]
    fn slashes_anchor() {
        let g = rules("/data\ndocs/*.py\n");
        assert!(g.ignores("data/a.py"));
        assert!(!g.ignores("src/data/a.py"));
        assert!(g.ignores("docs/conf.py"));
        assert!(!g.ignores("docs/api/conf.py"), "* does not cross /");
        assert!(!g.ignores("src/docs/conf.py"));
    }

    #[test]
    fn double_stars() {
        let g = rules("**/generated\nlogs/**\na/**/b.py\n");
        assert!(g.ignores("generated/x.py"));
        assert!(g.ignores("src/deep/generated/x.py"));
        assert!(g.ignores("logs/2024/x.yaml"));
        assert!(g.ignores("a/b.py"));
        assert!(g.ignores("a/x/y/b.py"));
        assert!(!g.ignores("b.py"));
    }

    #[test]
    fn negation_and_order() {
        let g = rules("*.py\n!keep.py\n");
        assert!(g.ignores("drop.py"));
        assert!(!g.ignores("keep.py"));
        // A file inside an ignored folder cannot be re-included.
        let g = rules("out/\n!out/keep.py\n");
        assert!(g.ignores("out/keep.py"));
    }

    #[test]
    fn question_marks_classes_and_escapes() {
        let g = rules("?.py\n*.py[cod]\n\\#notes\nweird[\n");
        assert!(g.ignores("a.py"));
        assert!(!g.ignores("ab.py"));
        assert!(g.ignores("m.pyc"));
        assert!(!g.ignores("mod.py"));
        assert!(g.ignores("#notes"));
        assert!(g.ignores("weird["));
        let g = rules("[!a-c]x\n");
        assert!(g.ignores("dx"));
        assert!(!g.ignores("bx"));
    }

    #[test]
    fn nested_gitignores_apply_below_their_folder() {
        let mut g = Gitignore::default();
        g.add("", "*.tmp\n");
        g.add("project/sub/", "/local.py\n!keep.tmp\n");
        assert!(g.ignores("project/sub/local.py"));
        assert!(!g.ignores("project/local.py"));
        assert!(!g.ignores("project/sub/deeper/local.py"));
        assert!(g.ignores("project/x.tmp"));
        assert!(!g.ignores("project/sub/keep.tmp"));
    }
}
