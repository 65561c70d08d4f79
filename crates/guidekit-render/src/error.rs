//! The crate's error type.

use std::path::PathBuf;

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to parse or to render.
    #[error("template `{template}`{}{}: {message}", origin_text(.path), line_text(.line))]
    Template {
        /// The template's name (its file name, e.g. `guide.html`).
        template: String,
        /// The user's file the template came from; `None` for a built-in template.
        path: Option<PathBuf>,
        /// The line of the template the error is on (from 1), when known.
        line: Option<usize>,
        /// Tera's report of the error, with the template's line and a caret under the problem.
        message: String,
    },
    /// The user template directory could not be read, or holds a file that is not a template.
    #[error("template directory `{}`: {message}", .path.display())]
    TemplateDir {
        /// The directory or file in question.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A diagram could not be drawn.
    #[error("diagram `{id}`: {message}")]
    Diagram {
        /// The diagram's id.
        id: String,
        /// What went wrong.
        message: String,
    },
    /// The Graphviz engine was asked for, but no `dot` program is on `PATH`.
    #[error("the Graphviz diagram engine needs the `dot` program on PATH; install Graphviz or use the embedded engine")]
    GraphvizMissing,
}

fn origin_text(path: &Option<PathBuf>) -> String {
    path.as_ref().map(|p| format!(" (from `{}`)", p.display())).unwrap_or_default()
}

fn line_text(line: &Option<usize>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}
