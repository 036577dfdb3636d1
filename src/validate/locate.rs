//! Finding the line and column of a field inside YAML text.
//!
//! serde_yaml reports positions only for syntax and type errors; rules
//! checked after parsing (a category not in the vocabulary, a dangling
//! reference) need the position of one value. We re-read the YAML as
//! marked events (yaml-rust2) into a small tree, only when such a
//! problem is found, so the happy path pays nothing.

use std::cell::OnceCell;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A step in a path to a value: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

#[derive(Debug)]
enum Node {
    Scalar {
        value: String,
        pos: (usize, usize),
    },
    Seq {
        items: Vec<Node>,
        pos: (usize, usize),
    },
    Map {
        pairs: Vec<(Node, Node)>,
        pos: (usize, usize),
    },
}

impl Node {
    fn pos(&self) -> (usize, usize) {
        match self {
            Node::Scalar { pos, .. } | Node::Seq { pos, .. } | Node::Map { pos, .. } => *pos,
        }
    }
}

/// Positions in one YAML text, shifted by the lines before it in its file.
pub struct Locator<'a> {
    yaml: &'a str,
    line_offset: usize,
    tree: OnceCell<Option<Node>>,
}

impl<'a> Locator<'a> {
    pub fn new(yaml: &'a str, line_offset: usize) -> Locator<'a> {
        Locator {
            yaml,
            line_offset,
            tree: OnceCell::new(),
        }
    }

    /// 1-based (line, column) of the value at `path`, or of the nearest
    /// ancestor that exists.
    pub fn value(&self, path: &[Step]) -> Option<(usize, usize)> {
        self.find(path, false)
    }

    /// 1-based (line, column) of the key of the last step (for `Key`).
    pub fn key(&self, path: &[Step]) -> Option<(usize, usize)> {
        self.find(path, true)
    }

    /// Every scalar value with its field path (`name`, `hours[0].note`)
    /// and 1-based (line, column), in document order; empty when the text
    /// is not YAML.
    pub fn scalars(&self) -> Vec<(String, String, (usize, usize))> {
        fn walk(
            node: &Node,
            path: &str,
            offset: usize,
            out: &mut Vec<(String, String, (usize, usize))>,
        ) {
            match node {
                Node::Scalar { value, pos } => {
                    out.push((path.to_string(), value.clone(), (pos.0 + offset, pos.1)))
                }
                Node::Seq { items, .. } => {
                    for (i, item) in items.iter().enumerate() {
                        walk(item, &format!("{path}[{i}]"), offset, out);
                    }
                }
                Node::Map { pairs, .. } => {
                    for (key, value) in pairs {
                        let name = match key {
                            Node::Scalar { value, .. } => value.clone(),
                            _ => "?".to_string(),
                        };
                        let child = if path.is_empty() {
                            name
                        } else {
                            format!("{path}.{name}")
                        };
                        walk(value, &child, offset, out);
                    }
                }
            }
        }
        let mut out = Vec::new();
        if let Some(tree) = self.tree.get_or_init(|| build_tree(self.yaml)).as_ref() {
            walk(tree, "", self.line_offset, &mut out);
        }
        out
    }

    fn find(&self, path: &[Step], want_key: bool) -> Option<(usize, usize)> {
        let tree = self.tree.get_or_init(|| build_tree(self.yaml)).as_ref()?;
        let mut node = tree;
        let mut best = node.pos();
        for (i, step) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            let next = match (node, step) {
                (Node::Map { pairs, .. }, Step::Key(k)) => {
                    pairs.iter().find_map(|(key, v)| match key {
                        Node::Scalar { value, .. } if value == k => Some((key, v)),
                        _ => None,
                    })
                }
                (Node::Seq { items, .. }, Step::Index(ix)) => items.get(*ix).map(|v| (v, v)),
                _ => None,
            };
            match next {
                Some((key, value)) => {
                    best = if last && want_key {
                        key.pos()
                    } else {
                        value.pos()
                    };
                    node = value;
                }
                None => break,
            }
        }
        Some((best.0 + self.line_offset, best.1))
    }
}

/// Builds the tree from marked events; `None` when the text is not YAML
/// (its syntax error is reported elsewhere).
fn build_tree(yaml: &str) -> Option<Node> {
    struct Builder {
        stack: Vec<Node>,
        root: Option<Node>,
    }
    impl Builder {
        fn add(&mut self, node: Node) {
            match self.stack.last_mut() {
                Some(Node::Seq { items, .. }) => items.push(node),
                Some(Node::Map { pairs, .. }) => {
                    // A pending key is stored as a pair whose value is a
                    // placeholder scalar with position (0, 0).
                    match pairs.last_mut() {
                        Some((_, v)) if matches!(v, Node::Scalar { pos: (0, 0), .. }) => *v = node,
                        _ => pairs.push((
                            node,
                            Node::Scalar {
                                value: String::new(),
                                pos: (0, 0),
                            },
                        )),
                    }
                }
                Some(Node::Scalar { .. }) | None => self.root = Some(node),
            }
        }
    }
    impl MarkedEventReceiver for Builder {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            let pos = (mark.line(), mark.col() + 1);
            match ev {
                Event::Scalar(value, ..) => self.add(Node::Scalar { value, pos }),
                Event::Alias(_) => self.add(Node::Scalar {
                    value: String::new(),
                    pos,
                }),
                Event::SequenceStart(..) => self.stack.push(Node::Seq {
                    items: Vec::new(),
                    pos,
                }),
                Event::MappingStart(..) => self.stack.push(Node::Map {
                    pairs: Vec::new(),
                    pos,
                }),
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some(done) = self.stack.pop() {
                        self.add(done);
                    }
                }
                _ => {}
            }
        }
    }
    let mut b = Builder {
        stack: Vec::new(),
        root: None,
    };
    let mut parser = Parser::new_from_str(yaml);
    parser.load(&mut b, false).ok()?;
    b.root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let yaml = "name: a\ncategories: [ひきこもり, 就労]\nhours:\n  - days: [mon]\n    open: \"9:00\"\n";
        let loc = Locator::new(yaml, 1);
        assert_eq!(loc.value(&[Step::Key("name")]), Some((2, 7)));
        assert_eq!(loc.key(&[Step::Key("categories")]), Some((3, 1)));
        assert_eq!(
            loc.value(&[Step::Key("categories"), Step::Index(1)]),
            Some((3, 21))
        );
        assert_eq!(
            loc.value(&[Step::Key("hours"), Step::Index(0), Step::Key("open")]),
            Some((6, 11))
        );
        // A missing step falls back to the nearest ancestor.
        assert_eq!(
            loc.value(&[Step::Key("hours"), Step::Index(5)]),
            loc.value(&[Step::Key("hours")])
        );
    }
}
