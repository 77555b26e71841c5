//! Chart colours from the page's CSS custom properties (style/tokens.css,
//! style/charts.css), so the charts follow the light and dark themes.

use plotters::style::RGBColor;

/// An sRGB colour as three bytes.
pub type Rgb = (u8, u8, u8);

/// Parses `#rrggbb` or `#rgb` (surrounding space allowed).
pub fn parse_hex(s: &str) -> Option<Rgb> {
    let h = s.trim().strip_prefix('#')?;
    let byte = |i: usize, len: usize| {
        let v = u8::from_str_radix(h.get(i * len..(i + 1) * len)?, 16).ok()?;
        Some(if len == 1 { v * 17 } else { v })
    };
    let len = match h.len() {
        6 => 2,
        3 => 1,
        _ => return None,
    };
    Some((byte(0, len)?, byte(1, len)?, byte(2, len)?))
}

/// `a` blended towards `b` by `t` (0..=1).
pub fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let ch = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    (ch(a.0, b.0), ch(a.1, b.1), ch(a.2, b.2))
}

/// WCAG relative luminance.
fn luminance((r, g, b): Rgb) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Whichever of `options` reads best on `bg`.
pub fn readable_on(bg: Rgb, options: [Rgb; 2]) -> Rgb {
    if contrast(bg, options[0]) >= contrast(bg, options[1]) {
        options[0]
    } else {
        options[1]
    }
}

/// Heat-map cell colour for `t` in 0..=1: from the surface colour (low)
/// to the accent (high). The lowest value keeps a tint, so it still reads
/// as "some" next to an empty cell.
pub fn heat(surface: Rgb, accent: Rgb, t: f64) -> Rgb {
    mix(surface, accent, 0.12 + 0.88 * t)
}

/// The colours a chart is drawn with.
#[derive(Clone, Debug)]
pub struct Theme {
    pub text: Rgb,
    pub muted: Rgb,
    pub grid: Rgb,
    pub surface: Rgb,
    pub accent: Rgb,
    pub palette: [Rgb; 6],
    pub font: String,
}

impl Default for Theme {
    /// The light theme, for when the custom properties cannot be read.
    fn default() -> Self {
        Theme {
            text: (0x1c, 0x23, 0x21),
            muted: (0x55, 0x60, 0x5c),
            grid: (0xd6, 0xdb, 0xd7),
            surface: (0xff, 0xff, 0xff),
            accent: (0x2f, 0x7a, 0x57),
            palette: [
                (0x2f, 0x7a, 0x57),
                (0x1a, 0x5f, 0xd1),
                (0xb3, 0x5c, 0x00),
                (0x8e, 0x3b, 0xa8),
                (0xa2, 0x3b, 0x2a),
                (0x00, 0x7f, 0x8c),
            ],
            font: "sans-serif".into(),
        }
    }
}

impl Theme {
    /// Reads the custom properties on the root element; anything missing
    /// or not `#rrggbb` keeps its default.
    pub fn read() -> Self {
        let mut t = Theme::default();
        let Some(style) = web_sys::window().and_then(|w| {
            let root = w.document()?.document_element()?;
            w.get_computed_style(&root).ok().flatten()
        }) else {
            return t;
        };
        let prop = |name: &str| style.get_property_value(name).unwrap_or_default();
        let colour = |name: &str, into: &mut Rgb| {
            if let Some(c) = parse_hex(&prop(name)) {
                *into = c;
            }
        };
        colour("--chart-text", &mut t.text);
        colour("--chart-muted", &mut t.muted);
        colour("--chart-grid", &mut t.grid);
        colour("--chart-surface", &mut t.surface);
        colour("--chart-accent", &mut t.accent);
        for (i, c) in t.palette.iter_mut().enumerate() {
            colour(&format!("--chart-{}", i + 1), c);
        }
        let font = prop("--font");
        if !font.trim().is_empty() {
            t.font = font.trim().to_string();
        }
        t
    }

    /// Colour of series `i`.
    pub fn series(&self, i: usize) -> RGBColor {
        rgb(self.palette[i % self.palette.len()])
    }
}

/// Into plotters' colour type.
pub fn rgb((r, g, b): Rgb) -> RGBColor {
    RGBColor(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours() {
        assert_eq!(parse_hex(" #2f7a57"), Some((0x2f, 0x7a, 0x57)));
        assert_eq!(parse_hex("#FFF"), Some((255, 255, 255)));
        assert_eq!(parse_hex("#12345"), None);
        assert_eq!(parse_hex("rgb(1,2,3)"), None);
        assert_eq!(parse_hex("#gg0000"), None);
        assert_eq!(parse_hex(""), None);
    }

    #[test]
    fn heat_scale_and_contrast() {
        let white = (255, 255, 255);
        let black = (0, 0, 0);
        let accent = (0x2f, 0x7a, 0x57);
        assert_eq!(heat(white, accent, 1.0), accent);
        assert_ne!(heat(white, accent, 0.0), white);
        // Darker with more, in the light theme.
        assert!(luminance(heat(white, accent, 0.8)) < luminance(heat(white, accent, 0.2)));
        assert_eq!(mix(black, white, f64::NAN), black);
        assert!((contrast(white, black) - 21.0).abs() < 1e-9);
        assert_eq!(readable_on(accent, [black, white]), white);
        assert_eq!(readable_on((0xe0, 0xf0, 0xe8), [black, white]), black);
    }
}
