//! Loading templates: the built-in ones embedded in the binary, then the user's overrides.
//!
//! Two Tera instances are kept. HTML templates (`.html`, and `.css` partials) autoescape with HTML escaping;
//! Markdown templates (`.md`) autoescape with Markdown escaping (Tera would otherwise not escape them at all,
//! as it only autoescapes `.html`, `.htm` and `.xml`). In both, values printed with `| safe` are the view's
//! pre-rendered fields and nothing else.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};

use crate::RenderError;
use crate::escape::escape_markdown;

/// The built-in templates, by name.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("components.html", include_str!("../templates/components.html")),
    ("guide-base.html", include_str!("../templates/guide-base.html")),
    ("guide.html", include_str!("../templates/guide.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("style.css", include_str!("../templates/style.css")),
    ("components.md", include_str!("../templates/components.md")),
    ("guide-base.md", include_str!("../templates/guide-base.md")),
    ("guide.md", include_str!("../templates/guide.md")),
    ("index.md", include_str!("../templates/index.md")),
];

/// Which engine a template belongs to, by its name; `None` for a name that is not a template.
fn engine_of(name: &str) -> Option<Engine> {
    if name.ends_with(".md") {
        Some(Engine::Markdown)
    } else if name.ends_with(".html") || name.ends_with(".css") {
        Some(Engine::Html)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Html,
    Markdown,
}

/// Both template engines, loaded.
pub(crate) struct Templates {
    html: Tera,
    markdown: Tera,
    /// The user file each overriding or added template came from.
    origins: BTreeMap<String, PathBuf>,
}

impl Templates {
    /// Loads the built-in templates, then every template in `user_dir` over them.
    pub(crate) fn load(user_dir: Option<&Path>) -> Result<Templates, RenderError> {
        let mut sources: BTreeMap<String, String> =
            BUILTIN.iter().map(|(name, source)| ((*name).to_owned(), (*source).to_owned())).collect();
        let mut origins = BTreeMap::new();
        if let Some(dir) = user_dir {
            for (name, path) in user_templates(dir)? {
                let source = std::fs::read_to_string(&path)
                    .map_err(|e| RenderError::TemplateDir { path: path.clone(), message: e.to_string() })?;
                sources.insert(name.clone(), source);
                origins.insert(name, path);
            }
        }
        let mut html = Tera::new();
        html.autoescape_on([".html", ".css"]);
        html.set_escape_fn(write_html_escaped);
        let mut markdown = Tera::new();
        markdown.autoescape_on([".md"]);
        markdown.set_escape_fn(write_markdown_escaped);
        for tera in [&mut html, &mut markdown] {
            crate::filters::register(tera);
        }
        let mut templates = Templates { html, markdown, origins };
        for engine in [Engine::Html, Engine::Markdown] {
            let batch: Vec<(&str, &str)> = sources
                .iter()
                .filter(|(name, _)| engine_of(name) == Some(engine))
                .map(|(name, source)| (name.as_str(), source.as_str()))
                .collect();
            let tera = match engine {
                Engine::Html => &mut templates.html,
                Engine::Markdown => &mut templates.markdown,
            };
            if let Err(error) = tera.add_raw_templates(batch) {
                return Err(templates.error(error, None));
            }
        }
        Ok(templates)
    }

    /// Renders template `name` with `view`.
    pub(crate) fn render(&self, name: &str, view: &impl Serialize) -> Result<String, RenderError> {
        let tera = match engine_of(name) {
            Some(Engine::Markdown) => &self.markdown,
            _ => &self.html,
        };
        let context = Context::from_serialize(view).map_err(|e| self.error(e, Some(name)))?;
        tera.render(name, &context).map_err(|e| self.error(e, Some(name)))
    }

    /// A [`RenderError`] naming the template and line of a Tera error.
    fn error(&self, error: tera::Error, rendering: Option<&str>) -> RenderError {
        let message = error.to_string();
        let mut located = None;
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        while let Some(e) = current {
            if let Some(tera_error) = e.downcast_ref::<tera::Error>()
                && let ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) = tera_error.kind()
            {
                located = Some((report.filename().to_owned(), report.span().start_line));
                break;
            }
            current = e.source();
        }
        // Errors found when templates are loaded (an unknown filter, say) come as a report in the message.
        let located = located.or_else(|| locate_in_report(&message));
        let (template, line) = match located {
            Some((template, line)) => (template, Some(line)),
            None => (rendering.unwrap_or("(templates)").to_owned(), None),
        };
        RenderError::Template { path: self.origins.get(&template).cloned(), template, line, message }
    }
}

/// Finds `--> name:line:column` in a Tera report.
fn locate_in_report(message: &str) -> Option<(String, usize)> {
    let at = message.find("--> ")?;
    let rest = message[at + 4..].lines().next()?;
    let mut parts = rest.rsplitn(3, ':');
    let _column = parts.next()?;
    let line = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    Some((name.to_owned(), line))
}

/// The template files in `dir`, by name: `.html`, `.css` and `.md` files at any depth, named by their path
/// relative to `dir` with `/` separators. Hidden files are skipped; any other file is an error, so that a
/// misnamed override is noticed.
fn user_templates(dir: &Path) -> Result<Vec<(String, PathBuf)>, RenderError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| RenderError::TemplateDir { path: current.clone(), message: e.to_string() })?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry =
                entry.map_err(|e| RenderError::TemplateDir { path: current.clone(), message: e.to_string() })?;
            paths.push(entry.path());
        }
        paths.sort();
        for path in paths {
            let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if file_name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(dir).unwrap_or(&path);
            let name = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if engine_of(&name).is_none() {
                return Err(RenderError::TemplateDir {
                    path,
                    message: "not a template: template names end in `.html`, `.css` or `.md`".into(),
                });
            }
            found.push((name, path));
        }
    }
    found.sort();
    Ok(found)
}

/// Tera's escape function for HTML templates: guidekit's own HTML escaping ([`crate::escape::escape_markup`]),
/// written a run at a time (Tera's default writes each byte with a call of its own).
fn write_html_escaped(input: &str, output: &mut dyn Write) -> std::io::Result<()> {
    let mut result = Ok(());
    crate::escape::escape_markup_runs(input, |run| {
        if result.is_ok() {
            result = output.write_all(run.as_bytes());
        }
    });
    result
}

/// Tera's escape function for Markdown templates.
fn write_markdown_escaped(input: &str, output: &mut dyn Write) -> std::io::Result<()> {
    output.write_all(escape_markdown(input).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_in_a_report() {
        let report = "error: Unknown filter `nope`\n --> guide.html:12:5\n  |";
        assert_eq!(locate_in_report(report), Some(("guide.html".into(), 12)));
    }

    #[test]
    fn templates_cannot_read_the_environment() {
        for source in ["{{ get_env(name=\"HOME\") }}", "{{ now() }}", "{% include \"/etc/passwd\" %}"] {
            let mut tera = Tera::new();
            crate::filters::register(&mut tera);
            assert!(tera.add_raw_template("t.html", source).is_err(), "{source} was accepted");
        }
    }
}
