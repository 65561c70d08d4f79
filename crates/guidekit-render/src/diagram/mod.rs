//! Diagrams: DOT source to sanitised, accessible SVG, by the embedded engine or by Graphviz.

pub(crate) mod embedded;
pub(crate) mod graphviz;
pub(crate) mod sanitize;
pub(crate) mod svg;
// Copied from `layout-rs` and kept close to it: its own style and unused parts are left as they were.
#[allow(dead_code, unexpected_cfgs, clippy::all)]
pub(crate) mod topo;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use guidekit_model::{Diagram, dot};

use crate::{DiagramEngine, RenderError};

/// The engine a renderer uses, with `Auto` resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Engine {
    Embedded,
    Graphviz(PathBuf),
}

/// Draws diagrams, remembering each SVG by (engine, DOT source) so that a diagram shared by several guides,
/// or a guide rendered again, is drawn once.
pub(crate) struct Diagrams {
    engine: Engine,
    cache: Mutex<HashMap<(Engine, String), Arc<str>>>,
}

impl Diagrams {
    pub(crate) fn new(engine: DiagramEngine) -> Result<Diagrams, RenderError> {
        let engine = match engine {
            DiagramEngine::Embedded => Engine::Embedded,
            DiagramEngine::Graphviz => Engine::Graphviz(graphviz::find_dot().ok_or(RenderError::GraphvizMissing)?),
            DiagramEngine::Auto => graphviz::find_dot().map_or(Engine::Embedded, Engine::Graphviz),
        };
        Ok(Diagrams { engine, cache: Mutex::new(HashMap::new()) })
    }

    /// The diagram as sanitised SVG, with its alt text as `<title>` and `aria-label`.
    pub(crate) fn draw(&self, diagram: &Diagram) -> Result<String, RenderError> {
        let failed = |message: String| RenderError::Diagram { id: diagram.id.to_string(), message };
        let source = diagram.dot.as_str();
        let key = (self.engine.clone(), source.to_owned());
        let cached = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        let raw = match cached {
            Some(svg) => svg,
            None => {
                // Both engines read the model's graph and refuse what the validator refuses.
                let graph = dot::parse(source).map_err(|e| failed(e.message))?;
                graphviz::check(&graph).map_err(failed)?;
                let svg: Arc<str> = match &self.engine {
                    Engine::Embedded => {
                        embedded::can_draw(&graph).map_err(failed)?;
                        embedded::render(&graph).map_err(failed)?
                    }
                    Engine::Graphviz(dot) => graphviz::render(dot, source).map_err(failed)?,
                }
                .into();
                self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, svg.clone());
                svg
            }
        };
        let prefix = crate::inline::figure_anchor(&diagram.id);
        sanitize::sanitize_svg(&raw, &diagram.alt, &prefix).map_err(failed)
    }
}
