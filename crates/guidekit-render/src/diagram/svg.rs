//! A small SVG writer for the embedded engine: every attribute and text escaped, numbers rounded so that
//! the output is short and the same on every machine.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use layout::core::geometry::Point;

use crate::escape::escape_markup_runs;

/// Text escaped for markup as it is written: the same bytes as `escape_markup`, without a `String` for each
/// attribute value and label line (an SVG writes thousands).
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut result = Ok(());
        escape_markup_runs(self.0, |run| {
            if result.is_ok() {
                result = f.write_str(run);
            }
        });
        result
    }
}

/// A number written with at most two decimals and no trailing zeros (`12`, `3.5`, `-0.25`; `0` for
/// anything not finite), straight into the output: no string is made for it.
#[derive(Clone, Copy)]
pub(crate) struct Num(pub(crate) f64);

impl Num {
    /// Its text, written right to left into `buffer`: a diagram writes thousands of numbers, and going through
    /// `write!` for each part took most of the time of drawing an edge.
    fn text(self, buffer: &mut [u8; 24]) -> Cow<'_, str> {
        if !self.0.is_finite() {
            return Cow::Borrowed("0");
        }
        let hundredths = (self.0 * 100.0).round();
        if hundredths.abs() >= 1e15 {
            // Beyond what an i64 of hundredths holds exactly: by way of the float formatter.
            let text = format!("{:.2}", hundredths / 100.0);
            return Cow::Owned(text.trim_end_matches('0').trim_end_matches('.').to_owned());
        }
        let n = hundredths as i64;
        let mut at = buffer.len();
        let mut push = |byte: u8| {
            at -= 1;
            buffer[at] = byte;
        };
        let (mut whole, frac) = (n.unsigned_abs() / 100, n.unsigned_abs() % 100);
        if frac != 0 {
            if frac % 10 != 0 {
                push(b'0' + (frac % 10) as u8);
            }
            push(b'0' + (frac / 10) as u8);
            push(b'.');
        }
        loop {
            push(b'0' + (whole % 10) as u8);
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if n < 0 {
            push(b'-');
        }
        Cow::Borrowed(std::str::from_utf8(&buffer[at..]).unwrap_or("0"))
    }

    /// Appends its text to `out`, as `write!` would but without the formatting machinery, which cost more
    /// than the digits in the coordinates of paths and polygons.
    fn push_to(self, out: &mut String) {
        out.push_str(&self.text(&mut [0; 24]));
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&mut [0; 24]))
    }
}

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
    /// The text attributes set once on a group around the drawing, see [`Svg::text_defaults`].
    text: Option<TextDefaults>,
}

/// The font, size and colour most texts of a drawing share.
struct TextDefaults {
    family: String,
    size: f64,
    color: String,
}

const LINE_HEIGHT: f64 = 1.2;

impl Svg {
    /// Starts a document whose viewBox is `x y width height`; it is displayed at 4/3 of that size, as
    /// Graphviz's points are shown on screen.
    pub(crate) fn new(x: f64, y: f64, width: f64, height: f64) -> Svg {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\">",
            Num(width * 4.0 / 3.0),
            Num(height * 4.0 / 3.0),
            Num(x),
            Num(y),
            Num(width),
            Num(height)
        );
        Svg { out, text: None }
    }

    /// Opens a group that sets `text-anchor="middle"` and these font, size and colour for every text drawn
    /// after it, which then states only what differs: a label repeated them (some 120 bytes) on each of a
    /// diagram's dozens of texts, and every diagram is written twice, inline in the page and as a file.
    /// Called once, before any text; [`Svg::finish`] closes the group.
    pub(crate) fn text_defaults(&mut self, family: &str, size: f64, color: &str) {
        debug_assert!(self.text.is_none(), "text defaults are set once");
        let _ = write!(
            self.out,
            "<g text-anchor=\"middle\" font-family=\"{}\" font-size=\"{}\" fill=\"{}\">",
            Escaped(family),
            Num(size),
            Escaped(color)
        );
        self.text = Some(TextDefaults { family: family.to_owned(), size, color: color.to_owned() });
    }

    pub(crate) fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (key, value) in attrs {
            let _ = write!(self.out, " {key}=\"{}\"", Escaped(value));
        }
        self.out.push('>');
    }

    pub(crate) fn close(&mut self, tag: &str) {
        let _ = write!(self.out, "</{tag}>");
    }

    /// Writes ` fill=".." stroke=".." stroke-width=".."[ stroke-dasharray=".."]/>`, ending the element.
    fn stroke_attrs(&mut self, fill: &str, stroke: &str, width: f64, dash: Option<&str>) {
        let _ = write!(
            self.out,
            " fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"",
            Escaped(fill),
            Escaped(stroke),
            Num(width)
        );
        if let Some(dash) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{dash}\"");
        }
        self.out.push_str("/>");
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rect(
        &mut self,
        top_left: Point,
        size: Point,
        radius: f64,
        fill: &str,
        stroke: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            Num(top_left.x),
            Num(top_left.y),
            Num(size.x),
            Num(size.y)
        );
        if radius > 0.0 {
            let _ = write!(self.out, " rx=\"{}\"", Num(radius));
        }
        self.stroke_attrs(fill, stroke, width, dash);
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn ellipse(
        &mut self,
        center: Point,
        rx: f64,
        ry: f64,
        fill: &str,
        stroke: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"",
            Num(center.x),
            Num(center.y),
            Num(rx),
            Num(ry)
        );
        self.stroke_attrs(fill, stroke, width, dash);
    }

    pub(crate) fn polygon(&mut self, points: &[Point], fill: &str, stroke: &str, width: f64, dash: Option<&str>) {
        self.out.push_str("<polygon points=\"");
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            Num(p.x).push_to(&mut self.out);
            self.out.push(',');
            Num(p.y).push_to(&mut self.out);
        }
        self.out.push('"');
        self.stroke_attrs(fill, stroke, width, dash);
    }

    /// An edge from `layout-rs`'s path: pairs of (point, control point), joined as cubic Béziers, with arrow
    /// heads drawn as polygons where asked for. The line stops short of each head so it does not blunt it.
    pub(crate) fn arrow(
        &mut self,
        path: &[(Point, Point)],
        start_head: bool,
        end_head: bool,
        color: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        let mut path = path.to_vec();
        let head_len = 9.0 + width;
        let n = path.len();
        let mut heads = Vec::new();
        if end_head && n >= 2 {
            let tip = path[n - 1].1;
            let from = if distance(path[n - 1].0, tip) > 0.5 { path[n - 1].0 } else { path[n - 2].1 };
            if let Some(dir) = unit(tip, from) {
                heads.push((tip, dir));
                path[n - 1].1 = Point::new(tip.x - dir.x * head_len * 0.8, tip.y - dir.y * head_len * 0.8);
            }
        }
        if start_head && n >= 2 {
            let tip = path[0].0;
            let from = if distance(path[0].1, tip) > 0.5 { path[0].1 } else { path[1].0 };
            if let Some(dir) = unit(tip, from) {
                heads.push((tip, dir));
                path[0].0 = Point::new(tip.x - dir.x * head_len * 0.8, tip.y - dir.y * head_len * 0.8);
            }
        }
        // `M x y C x y x y x y`, then ` S x y x y` for each further pair.
        let numbers = |out: &mut String, lead: &str, values: &[f64]| {
            out.push_str(lead);
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                Num(*value).push_to(out);
            }
        };
        let ((a, b), (c, d)) = (path[0], path[1]);
        numbers(&mut self.out, "<path d=\"M", &[a.x, a.y]);
        numbers(&mut self.out, " C", &[b.x, b.y, c.x, c.y, d.x, d.y]);
        for (control, point) in path.iter().skip(2) {
            numbers(&mut self.out, " S", &[control.x, control.y, point.x, point.y]);
        }
        self.out.push('"');
        self.stroke_attrs("none", color, width, dash);
        for (tip, dir) in heads {
            let base = Point::new(tip.x - dir.x * head_len, tip.y - dir.y * head_len);
            let half = 3.5 + width / 2.0;
            let normal = Point::new(-dir.y * half, dir.x * half);
            self.polygon(&[tip, base.add(normal), base.sub(normal)], color, color, width, None);
        }
    }

    /// Lines of text centred on `center`, each line's baseline placed so that the block is centred
    /// vertically (0.35 em below a line's middle puts the x-height's middle there).
    pub(crate) fn text_lines(&mut self, center: Point, lines: &[String], size: f64, family: &str, color: &str) {
        let count = lines.len();
        if count == 0 || lines.iter().all(|l| l.trim().is_empty()) {
            return;
        }
        let line_height = size * LINE_HEIGHT;
        let first = center.y - line_height * (count as f64 - 1.0) / 2.0 + size * 0.35;
        match &self.text {
            None => {
                let _ = write!(
                    self.out,
                    "<text text-anchor=\"middle\" font-family=\"{}\" font-size=\"{}\" fill=\"{}\">",
                    Escaped(family),
                    Num(size),
                    Escaped(color)
                );
            }
            Some(defaults) => {
                self.out.push_str("<text");
                if family != defaults.family {
                    let _ = write!(self.out, " font-family=\"{}\"", Escaped(family));
                }
                if size != defaults.size {
                    let _ = write!(self.out, " font-size=\"{}\"", Num(size));
                }
                if color != defaults.color {
                    let _ = write!(self.out, " fill=\"{}\"", Escaped(color));
                }
                self.out.push('>');
            }
        }
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                self.out,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                Num(center.x),
                Num(first + i as f64 * line_height),
                Escaped(line)
            );
        }
        self.out.push_str("</text>");
    }

    pub(crate) fn finish(mut self) -> String {
        if self.text.is_some() {
            self.out.push_str("</g>");
        }
        self.out.push_str("</svg>");
        self.out
    }
}

fn distance(a: Point, b: Point) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// The unit vector from `from` towards `to`.
fn unit(to: Point, from: Point) -> Option<Point> {
    let len = distance(to, from);
    (len > 1e-6).then(|| Point::new((to.x - from.x) / len, (to.y - from.y) / len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How numbers were written before [`Num`]: through the float formatter.
    fn by_float_formatter(value: f64) -> String {
        if !value.is_finite() {
            return "0".into();
        }
        let rounded = (value * 100.0).round() / 100.0;
        let text = format!("{rounded:.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        if text == "-0" { "0".into() } else { text.to_owned() }
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(Num(12.0).to_string(), "12");
        assert_eq!(Num(3.456).to_string(), "3.46");
        assert_eq!(Num(3.5).to_string(), "3.5");
        assert_eq!(Num(-0.25).to_string(), "-0.25");
        assert_eq!(Num(-0.001).to_string(), "0");
        assert_eq!(Num(f64::NAN).to_string(), "0");
        let mut state = 1u64;
        let mut values =
            vec![0.005, -0.005, 0.015, 1.005, 2.675, -2.675, 0.994999, 1e13, -1e14, 1.5e15, 1e300, -1e-300];
        for _ in 0..100_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let scale = [1.0, 100.0, 10_000.0, 1e9][(state >> 60) as usize % 4];
            values.push(((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * scale);
        }
        for value in values {
            let text = Num(value).to_string();
            assert_eq!(text, by_float_formatter(value), "{value:e}");
            let mut pushed = String::from("x");
            Num(value).push_to(&mut pushed);
            assert_eq!(pushed[1..], text, "{value:e}");
        }
    }

    #[test]
    fn text_is_escaped_as_it_is_written_exactly_as_escape_markup_escapes_it() {
        for text in ["", "plain", "a<b>&\"c\"'d'", "\u{0}\u{1f}\t\n\r", "\u{fffe}x\u{ffff}", "é \u{fffd} 漢", "&&&&"]
        {
            assert_eq!(Escaped(text).to_string(), crate::escape::escape_markup(text), "{text:?}");
        }
    }
}
