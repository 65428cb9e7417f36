//! What the TUI's one-line editor asks for, and how its title says it.

use home_secret_toml::edit::InputType;
use home_secret_toml::key_path::KeyPath;

/// What the editor is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    Value {
        key: KeyPath,
        input: InputType,
    },
    Rename {
        key: KeyPath,
    },
    /// A folder (a table) to move: its whole path, editable in any part.
    Move {
        from: KeyPath,
    },
    /// A `"..."` placeholder's value; `left` placeholders in all, this one included.
    Fill {
        key: KeyPath,
        left: usize,
    },
    /// The rest of a new key's path, under `prefix`.
    AddPath {
        prefix: KeyPath,
    },
    AddValue {
        key: KeyPath,
        input: InputType,
    },
    EnumPath,
}

impl Prompt {
    pub fn title(&self) -> String {
        match self {
            Prompt::Value { key, input } => {
                format!(
                    "New value for {key} ({}; Ctrl-t changes the type)",
                    input.label()
                )
            }
            Prompt::Rename { key } => format!("Rename the last part of {key}"),
            Prompt::Move { from } => format!("Move the keys under {from} to (a dotted path)"),
            Prompt::Fill { key, left: 1 } => format!("Fill the placeholder {key} (text)"),
            Prompt::Fill { key, left } => {
                format!("Fill the placeholder {key} (text; 1 of {left} left)")
            }
            Prompt::AddPath { prefix } if prefix.is_empty() => "New key (dotted path)".to_string(),
            Prompt::AddPath { prefix } => format!("New key under {prefix}. (rest of the path)"),
            Prompt::AddValue { key, input } => format!(
                "Value for the new key {key} ({}; Ctrl-t changes the type)",
                input.label()
            ),
            Prompt::EnumPath => "Write the Python enum module to".to_string(),
        }
    }

    /// What Enter does, for the editor's hint line.
    pub fn enter_does(&self) -> &'static str {
        match self {
            Prompt::AddPath { .. } => "continues",
            Prompt::EnumPath => "writes",
            _ => "saves",
        }
    }

    /// Whether what is typed is a secret (masked in share mode).
    /// The prompt with the next value type (Ctrl-t), for prompts that take a typed value.
    pub fn with_next_type(&self) -> Option<Prompt> {
        match self {
            Prompt::Value { key, input } => Some(Prompt::Value {
                key: key.clone(),
                input: input.next(),
            }),
            Prompt::AddValue { key, input } => Some(Prompt::AddValue {
                key: key.clone(),
                input: input.next(),
            }),
            _ => None,
        }
    }

    pub fn is_secret(&self) -> bool {
        matches!(
            self,
            Prompt::Value { .. } | Prompt::AddValue { .. } | Prompt::Fill { .. }
        )
    }
}
