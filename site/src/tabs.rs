//! The playground's open files: a list of tabs and the one shown, changed only through
//! [`TabAction`]s so that every change is one step (a Yew reducer).

use crate::workspace::{KeptFile, UNTITLED};
use sciguard::input::SourceKind;
use sciguard::SourceFile;
use std::rc::Rc;
use yew::Reducible;

/// One open file.
#[derive(Clone, Debug, PartialEq)]
pub struct Tab {
    /// Stable for the tab's life; results from the worker are matched by it.
    pub id: u32,
    /// A path or file name; it drives kind detection.
    pub name: String,
    /// Shared, so that copying the list of tabs never copies a large text.
    pub text: Rc<str>,
    /// The kind the user chose; `None` detects it.
    pub kind: Option<SourceKind>,
    /// Counts edits of the text, to know when per-text work must be redone.
    pub version: u32,
}

impl Tab {
    /// The kind detected from the name, then from the content.
    pub fn detected(&self) -> SourceKind {
        SourceKind::detect(&self.name, &self.text)
    }

    /// The kind the tab is checked as.
    pub fn kind(&self) -> SourceKind {
        self.kind.unwrap_or_else(|| self.detected())
    }

    /// The tab as kept in local storage.
    pub fn kept(&self) -> KeptFile<'_> {
        KeptFile {
            path: &self.name,
            text: &self.text,
            kind: self.kind,
        }
    }
}

/// Every open tab and the one shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Tabs {
    /// Never empty.
    pub tabs: Vec<Tab>,
    /// Index into `tabs`.
    pub active: usize,
    /// Counts changes that call for a new check (text, names, kinds, tabs).
    pub revision: u64,
    next_id: u32,
    /// The tab showing the starting example, until it is edited.
    example: Option<u32>,
    /// The last tab closed with text in it, which [`TabAction::UndoClose`] brings back.
    pub closed: Option<Closed>,
}

/// A tab closed with text in it, and where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Closed {
    /// The tab as it was.
    pub tab: Tab,
    /// Its place in the list.
    index: usize,
    /// The empty tab that took its place, when it was the last one.
    stand_in: Option<u32>,
}

/// A change to the tabs.
pub enum TabAction {
    /// Show the tab with this id.
    Select(u32),
    /// Replace a tab's text.
    Edit(u32, Rc<str>),
    /// Choose a tab's kind (`None`: detect it).
    SetKind(u32, Option<SourceKind>),
    /// Rename a tab.
    Rename(u32, String),
    /// Add an empty tab and show it.
    Add,
    /// Close a tab (the last one is emptied instead).
    Close(u32),
    /// Open files as tabs (replacing tabs of the same name) and show the first Python one.
    Open(Vec<SourceFile>),
    /// Open files as tabs and show the one at this index (a share link's shown tab).
    OpenShowing(Vec<SourceFile>, usize),
    /// Bring back the last tab closed with text in it.
    UndoClose,
    /// Forget the last tab closed (the offer to undo is dismissed).
    ForgetClosed,
}

impl Tabs {
    /// Tabs holding these files (one empty tab when there are none).
    pub fn new(files: Vec<SourceFile>, active: usize) -> Tabs {
        let mut tabs = Tabs {
            tabs: Vec::new(),
            active: 0,
            revision: 0,
            next_id: 0,
            example: None,
            closed: None,
        };
        for file in files {
            tabs.push(file.path, file.text.into(), file.kind);
        }
        if tabs.tabs.is_empty() {
            tabs.push(UNTITLED.to_string(), "".into(), None);
        }
        tabs.active = active.min(tabs.tabs.len() - 1);
        tabs
    }

    /// One tab showing an example, which files opened later replace.
    pub fn example(text: &str) -> Tabs {
        let mut tabs = Tabs::new(Vec::new(), 0);
        tabs.tabs[0].text = text.into();
        tabs.example = Some(tabs.tabs[0].id);
        tabs
    }

    /// The tab shown.
    pub fn current(&self) -> &Tab {
        &self.tabs[self.active]
    }

    fn push(&mut self, name: String, text: Rc<str>, kind: Option<SourceKind>) {
        self.tabs.push(Tab {
            id: self.next_id,
            name,
            text,
            kind,
            version: 0,
        });
        self.next_id += 1;
    }

    fn position(&self, id: u32) -> Option<usize> {
        self.tabs.iter().position(|t| t.id == id)
    }

    /// A name no tab has yet: `untitled`, `untitled-2`, …
    fn fresh_name(&self) -> String {
        (1..)
            .map(|n| match n {
                1 => UNTITLED.to_string(),
                n => format!("{UNTITLED}-{n}"),
            })
            .find(|name| self.tabs.iter().all(|t| t.name != *name))
            .unwrap_or_default()
    }

    /// Applies one change; returns whether anything changed.
    pub fn apply(&mut self, action: TabAction) -> bool {
        match action {
            TabAction::Select(id) => {
                let Some(i) = self.position(id) else {
                    return false;
                };
                self.active = i;
                // Showing another tab needs no new check.
                return true;
            }
            TabAction::Edit(id, text) => {
                let Some(i) = self.position(id) else {
                    return false;
                };
                self.tabs[i].text = text;
                self.tabs[i].version += 1;
                if self.example == Some(id) {
                    self.example = None;
                }
            }
            TabAction::SetKind(id, kind) => {
                let Some(i) = self.position(id) else {
                    return false;
                };
                self.tabs[i].kind = kind;
            }
            TabAction::Rename(id, name) => {
                let name = name.trim();
                let Some(i) = self.position(id).filter(|_| !name.is_empty()) else {
                    return false;
                };
                self.tabs[i].name = name.to_string();
            }
            TabAction::Add => {
                let name = self.fresh_name();
                self.push(name, "".into(), None);
                self.active = self.tabs.len() - 1;
            }
            TabAction::Close(id) => {
                let Some(i) = self.position(id) else {
                    return false;
                };
                let stand_in = (self.tabs.len() == 1).then(|| {
                    let name = self.fresh_name();
                    self.push(name, "".into(), None);
                    self.next_id - 1
                });
                let tab = self.tabs.remove(i);
                // An empty tab is nothing to lose; the example is one click away.
                let worth_keeping = !tab.text.trim().is_empty() && self.example != Some(tab.id);
                self.closed = worth_keeping.then_some(Closed {
                    tab,
                    index: i,
                    stand_in,
                });
                if self.active > i || self.active >= self.tabs.len() {
                    self.active = self.active.saturating_sub(1);
                }
            }
            TabAction::OpenShowing(files, shown) => {
                let path = files.get(shown).map(|f| f.path.clone());
                if !self.apply(TabAction::Open(files)) {
                    return false;
                }
                if let Some(i) = path.and_then(|p| self.tabs.iter().position(|t| t.name == p)) {
                    self.active = i;
                }
                return true;
            }
            TabAction::UndoClose => {
                let Some(closed) = self.closed.take() else {
                    return false;
                };
                // The empty tab that stood in for the last one goes again, if untouched.
                if let Some(i) = closed.stand_in.and_then(|id| self.position(id)) {
                    if self.tabs[i].text.is_empty() && self.tabs.len() == 1 {
                        self.tabs.remove(i);
                    }
                }
                let at = closed.index.min(self.tabs.len());
                self.tabs.insert(at, closed.tab);
                self.active = at;
            }
            TabAction::ForgetClosed => {
                return self.closed.take().is_some();
            }
            TabAction::Open(files) => {
                if files.is_empty() {
                    return false;
                }
                // A lone tab that is empty or still the starting example gives way.
                if self.tabs.len() == 1
                    && (self.example == Some(self.tabs[0].id)
                        || self.tabs[0].text.trim().is_empty())
                {
                    self.tabs.clear();
                }
                let mut shown = None;
                for file in files {
                    let python = file.kind() == SourceKind::Python;
                    let i = match self.tabs.iter().position(|t| t.name == file.path) {
                        Some(i) => {
                            let tab = &mut self.tabs[i];
                            tab.text = file.text.into();
                            tab.kind = file.kind;
                            tab.version += 1;
                            i
                        }
                        None => {
                            self.push(file.path, file.text.into(), file.kind);
                            self.tabs.len() - 1
                        }
                    };
                    match shown {
                        None => shown = Some((i, python)),
                        Some((_, false)) if python => shown = Some((i, python)),
                        _ => {}
                    }
                }
                self.active = shown.map_or(0, |(i, _)| i);
            }
        }
        self.revision += 1;
        true
    }
}

impl Reducible for Tabs {
    type Action = TabAction;

    fn reduce(self: Rc<Self>, action: TabAction) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.to_string(),
            text: text.to_string(),
            kind: None,
            display: None,
        }
    }

    #[test]
    fn add_close_and_keep_one() {
        let mut tabs = Tabs::new(Vec::new(), 0);
        assert_eq!(tabs.tabs.len(), 1);
        tabs.apply(TabAction::Add);
        assert_eq!(tabs.current().name, "untitled-2");
        assert_eq!(tabs.active, 1);
        let first = tabs.tabs[0].id;
        tabs.apply(TabAction::Close(first));
        assert_eq!(tabs.tabs.len(), 1);
        assert_eq!(tabs.active, 0);
        let last = tabs.tabs[0].id;
        tabs.apply(TabAction::Close(last));
        assert_eq!(
            tabs.tabs.len(),
            1,
            "closing the last tab leaves an empty one"
        );
        assert_eq!(&*tabs.current().text, "");
    }

    #[test]
    fn names_drive_detection_unless_a_kind_is_chosen() {
        let mut tabs = Tabs::new(vec![file(UNTITLED, "numpy==1.26.4\npandas>=2.0\n")], 0);
        let id = tabs.current().id;
        assert_eq!(tabs.current().kind(), SourceKind::Requirements);
        tabs.apply(TabAction::Rename(id, "setup.py".into()));
        assert_eq!(tabs.current().kind(), SourceKind::Python);
        tabs.apply(TabAction::SetKind(id, Some(SourceKind::Yaml)));
        assert_eq!(tabs.current().kind(), SourceKind::Yaml);
        assert!(!tabs.apply(TabAction::Rename(id, "  ".into())));
    }

    #[test]
    fn opening_replaces_an_untouched_tab_and_shows_python() {
        let mut tabs = Tabs::new(vec![file(UNTITLED, "import os\n")], 0);
        tabs.apply(TabAction::Open(vec![file("a.py", "")]));
        assert_eq!(tabs.tabs.len(), 2, "kept work is never replaced");
        let mut tabs = Tabs::example("import os\n");
        tabs.apply(TabAction::Open(vec![
            file("p/requirements.txt", "torch==2.4.1\n"),
            file("p/train.py", "import torch\n"),
        ]));
        let names: Vec<&str> = tabs.tabs.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p/requirements.txt", "p/train.py"]);
        assert_eq!(tabs.current().name, "p/train.py");
        // Opening the same path again updates that tab.
        tabs.apply(TabAction::Open(vec![file("p/train.py", "import numpy\n")]));
        assert_eq!(tabs.tabs.len(), 2);
        assert_eq!(&*tabs.current().text, "import numpy\n");
    }

    #[test]
    fn a_closed_tab_with_text_can_be_brought_back_where_it_was() {
        let mut tabs = Tabs::new(
            vec![
                file("a.py", "import os\n"),
                file("b.py", "x = 1\n"),
                file("c.py", ""),
            ],
            1,
        );
        let b = tabs.tabs[1].id;
        tabs.apply(TabAction::Close(b));
        assert_eq!(
            tabs.closed.as_ref().map(|c| c.tab.name.as_str()),
            Some("b.py")
        );
        tabs.apply(TabAction::Add);
        assert!(tabs.apply(TabAction::UndoClose));
        let names: Vec<&str> = tabs.tabs.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a.py", "b.py", "c.py", "untitled"]);
        assert_eq!(tabs.current().id, b);
        assert_eq!(&*tabs.current().text, "x = 1\n");
        assert!(!tabs.apply(TabAction::UndoClose), "once");
        // An empty tab is closed for good.
        let c = tabs.tabs[2].id;
        tabs.apply(TabAction::Close(c));
        assert!(tabs.closed.is_none());
        // The last tab: its empty stand-in gives way again.
        let mut tabs = Tabs::new(vec![file("only.py", "import os\n")], 0);
        let only = tabs.tabs[0].id;
        tabs.apply(TabAction::Close(only));
        assert_eq!(tabs.current().name, "untitled");
        tabs.apply(TabAction::UndoClose);
        let names: Vec<&str> = tabs.tabs.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["only.py"]);
        tabs.apply(TabAction::Close(only));
        assert!(tabs.apply(TabAction::ForgetClosed));
        assert!(tabs.closed.is_none());
    }

    #[test]
    fn a_share_link_shows_the_tab_it_was_made_on() {
        let mut tabs = Tabs::example("import os\n");
        tabs.apply(TabAction::OpenShowing(
            vec![
                file("train.py", "import torch\n"),
                file("deps", "torch==2.4.1\n"),
            ],
            1,
        ));
        assert_eq!(tabs.tabs.len(), 2);
        assert_eq!(tabs.current().name, "deps");
        assert_eq!(tabs.current().kind(), SourceKind::Requirements);
    }

    #[test]
    fn selecting_does_not_ask_for_a_check() {
        let mut tabs = Tabs::new(vec![file("a.py", ""), file("b.py", "")], 0);
        let before = tabs.revision;
        let b = tabs.tabs[1].id;
        tabs.apply(TabAction::Select(b));
        assert_eq!(tabs.active, 1);
        assert_eq!(tabs.revision, before);
    }
}
