//! Diagrams: DOT source to sanitised, accessible SVG, by the embedded engine or by Graphviz.

pub(crate) mod embedded;
pub(crate) mod graphviz;
pub(crate) mod sanitize;
pub(crate) mod svg;
// Copied from `layout-rs` and kept close to it: its own style and unused parts are left as they were.
#[allow(dead_code, unexpected_cfgs, clippy::all)]
pub(crate) mod topo;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
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

/// How many drawn diagrams [`Diagrams`] keeps, the least recently used going first: a few megabytes at most
/// (an SVG of 40 nodes is ~30 KB), whatever the number of guides in a build.
const CACHE_ENTRIES: usize = 256;

/// What the embedded engine draws may change with guidekit's version, so the version is part of its key.
const EMBEDDED_VERSION: &str = concat!("guidekit-render ", env!("CARGO_PKG_VERSION"));

/// Draws diagrams, remembering the most recently drawn SVGs by (engine, engine version, DOT source), so that
/// a diagram shared by several guides, or a guide rendered again, is drawn once.
pub(crate) struct Diagrams {
    engine: Engine,
    cache: Mutex<Cache>,
}

/// A bounded least-recently-used map from a hash of (engine, version, DOT source) to the raw SVG.
#[derive(Default)]
struct Cache {
    entries: HashMap<u64, Entry>,
    /// Counts lookups: an entry's `used` is the count at its last use.
    clock: u64,
}

struct Entry {
    /// The DOT source, compared on every hit, so that two sources with the same hash never share an SVG.
    source: Box<str>,
    svg: Arc<str>,
    used: u64,
}

impl Cache {
    fn get(&mut self, key: u64, source: &str) -> Option<Arc<str>> {
        self.clock += 1;
        let entry = self.entries.get_mut(&key).filter(|e| &*e.source == source)?;
        entry.used = self.clock;
        Some(entry.svg.clone())
    }

    fn insert(&mut self, key: u64, source: &str, svg: Arc<str>) {
        if self.entries.len() >= CACHE_ENTRIES
            && !self.entries.contains_key(&key)
            && let Some(oldest) = self.entries.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| *k)
        {
            self.entries.remove(&oldest);
        }
        self.entries.insert(key, Entry { source: source.into(), svg, used: self.clock });
    }
}

impl Diagrams {
    pub(crate) fn new(engine: DiagramEngine) -> Result<Diagrams, RenderError> {
        let engine = match engine {
            DiagramEngine::Embedded => Engine::Embedded,
            DiagramEngine::Graphviz => Engine::Graphviz(graphviz::find_dot().ok_or(RenderError::GraphvizMissing)?),
            DiagramEngine::Auto => graphviz::find_dot().map_or(Engine::Embedded, Engine::Graphviz),
        };
        Ok(Diagrams { engine, cache: Mutex::new(Cache::default()) })
    }

    /// The cache key of `source` drawn by this renderer's engine. Graphviz is known by its path (one build
    /// does not see it change); the embedded engine by guidekit's version.
    fn key(&self, source: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.engine.hash(&mut hasher);
        if self.engine == Engine::Embedded {
            EMBEDDED_VERSION.hash(&mut hasher);
        }
        source.hash(&mut hasher);
        hasher.finish()
    }

    /// The diagram as sanitised SVG, with its alt text as `<title>` and `aria-label`.
    pub(crate) fn draw(&self, diagram: &Diagram) -> Result<String, RenderError> {
        let failed = |message: String| RenderError::Diagram { id: diagram.id.to_string(), message };
        let source = diagram.dot.as_str();
        let key = self.key(source);
        let cached = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(key, source);
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
                self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, source, svg.clone());
                svg
            }
        };
        let prefix = crate::inline::figure_anchor(&diagram.id);
        match self.engine {
            // Safe by construction (see `sanitize::accessible`); in debug builds, every test that draws a
            // diagram checks that the sanitiser would have written the same bytes.
            Engine::Embedded => {
                let svg = sanitize::accessible(&raw, &diagram.alt);
                debug_assert_eq!(Ok(&svg), sanitize::sanitize_svg(&raw, &diagram.alt, &prefix).as_ref());
                Ok(svg)
            }
            Engine::Graphviz(_) => sanitize::sanitize_svg(&raw, &diagram.alt, &prefix).map_err(failed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(id: &str, dot: &str) -> Diagram {
        serde_json::from_value(
            serde_json::json!({ "id": id, "caption": "A caption.", "alt": "A diagram.", "dot": dot }),
        )
        .expect("a diagram")
    }

    #[test]
    fn the_cache_is_bounded_and_keeps_what_is_used() {
        let diagrams = Diagrams::new(DiagramEngine::Embedded).unwrap();
        let kept = diagram("kept", "digraph { kept -> it }");
        let first = diagrams.draw(&kept).unwrap();
        for i in 0..CACHE_ENTRIES + 20 {
            diagrams.draw(&diagram("d", &format!("digraph {{ a{i} -> b }}"))).unwrap();
            // Used again and again, it is never the least recently used.
            assert_eq!(diagrams.draw(&kept).unwrap(), first);
        }
        let cache = diagrams.cache.lock().unwrap();
        assert_eq!(cache.entries.len(), CACHE_ENTRIES);
        assert!(cache.entries.values().any(|e| &*e.source == "digraph { kept -> it }"));
        assert!(!cache.entries.values().any(|e| &*e.source == "digraph { a0 -> b }"), "the oldest went first");
    }
}
