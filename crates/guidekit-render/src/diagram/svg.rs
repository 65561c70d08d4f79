//! A small SVG writer for the embedded engine: every attribute and text escaped, numbers rounded so that
//! the output is short and the same on every machine.

use layout::core::geometry::Point;

use crate::escape::escape_markup;

/// A number with at most two decimals and no trailing zeros (`12`, `3.5`, `-0.25`).
pub(crate) fn fmt_num(value: f64) -> String {
    if !value.is_finite() {
        return "0".into();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".into() } else { text.to_owned() }
}

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
}

const LINE_HEIGHT: f64 = 1.2;

impl Svg {
    /// Starts a document whose viewBox is `x y width height`; it is displayed at 4/3 of that size, as
    /// Graphviz's points are shown on screen.
    pub(crate) fn new(x: f64, y: f64, width: f64, height: f64) -> Svg {
        let mut out = String::new();
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\">",
            fmt_num(width * 4.0 / 3.0),
            fmt_num(height * 4.0 / 3.0),
            fmt_num(x),
            fmt_num(y),
            fmt_num(width),
            fmt_num(height)
        ));
        Svg { out }
    }

    pub(crate) fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (key, value) in attrs {
            self.out.push_str(&format!(" {key}=\"{}\"", escape_markup(value)));
        }
        self.out.push('>');
    }

    pub(crate) fn close(&mut self, tag: &str) {
        self.out.push_str(&format!("</{tag}>"));
    }

    fn stroke_attrs(fill: &str, stroke: &str, width: f64, dash: Option<&str>) -> String {
        let mut attrs = format!(
            " fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"",
            escape_markup(fill),
            escape_markup(stroke),
            fmt_num(width)
        );
        if let Some(dash) = dash {
            attrs.push_str(&format!(" stroke-dasharray=\"{dash}\""));
        }
        attrs
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
        let rounded = if radius > 0.0 { format!(" rx=\"{}\"", fmt_num(radius)) } else { String::new() };
        self.out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{rounded}{}/>",
            fmt_num(top_left.x),
            fmt_num(top_left.y),
            fmt_num(size.x),
            fmt_num(size.y),
            Self::stroke_attrs(fill, stroke, width, dash)
        ));
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
        self.out.push_str(&format!(
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"{}/>",
            fmt_num(center.x),
            fmt_num(center.y),
            fmt_num(rx),
            fmt_num(ry),
            Self::stroke_attrs(fill, stroke, width, dash)
        ));
    }

    pub(crate) fn polygon(&mut self, points: &[Point], fill: &str, stroke: &str, width: f64, dash: Option<&str>) {
        let points: Vec<String> = points.iter().map(|p| format!("{},{}", fmt_num(p.x), fmt_num(p.y))).collect();
        self.out.push_str(&format!(
            "<polygon points=\"{}\"{}/>",
            points.join(" "),
            Self::stroke_attrs(fill, stroke, width, dash)
        ));
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
        let mut d = format!(
            "M{} {} C{} {} {} {} {} {}",
            fmt_num(path[0].0.x),
            fmt_num(path[0].0.y),
            fmt_num(path[0].1.x),
            fmt_num(path[0].1.y),
            fmt_num(path[1].0.x),
            fmt_num(path[1].0.y),
            fmt_num(path[1].1.x),
            fmt_num(path[1].1.y)
        );
        for (control, point) in path.iter().skip(2) {
            d.push_str(&format!(
                " S{} {} {} {}",
                fmt_num(control.x),
                fmt_num(control.y),
                fmt_num(point.x),
                fmt_num(point.y)
            ));
        }
        let mut attrs =
            format!(" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"", escape_markup(color), fmt_num(width));
        if let Some(dash) = dash {
            attrs.push_str(&format!(" stroke-dasharray=\"{dash}\""));
        }
        self.out.push_str(&format!("<path d=\"{d}\"{attrs}/>"));
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
        self.out.push_str(&format!(
            "<text text-anchor=\"middle\" font-family=\"{}\" font-size=\"{}\" fill=\"{}\">",
            escape_markup(family),
            fmt_num(size),
            escape_markup(color)
        ));
        for (i, line) in lines.iter().enumerate() {
            self.out.push_str(&format!(
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                fmt_num(center.x),
                fmt_num(first + i as f64 * line_height),
                escape_markup(line)
            ));
        }
        self.out.push_str("</text>");
    }

    pub(crate) fn finish(mut self) -> String {
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

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(fmt_num(12.0), "12");
        assert_eq!(fmt_num(3.456), "3.46");
        assert_eq!(fmt_num(-0.001), "0");
        assert_eq!(fmt_num(f64::NAN), "0");
    }
}
