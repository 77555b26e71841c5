//! Colours admins choose (tier colours) made readable: the WCAG 2.1 contrast
//! ratio, and which ink — near-black or white — to write on a background.
//! The better of the two always reaches 4.5:1 (the worst case, a background
//! of relative luminance ≈ 0.18, still gives 4.58:1 with black), so a badge
//! in any colour an admin picks stays legible.

/// Ink for light backgrounds: black, not a softer dark grey, or the worst
/// case drops below 4.5:1.
pub const DARK_INK: &str = "#000000";
/// Ink for dark backgrounds.
pub const LIGHT_INK: &str = "#ffffff";

/// `#rgb` or `#rrggbb` as red, green, blue.
pub fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.trim().strip_prefix('#')?;
    if !h.is_ascii() {
        return None;
    }
    let byte = |i: usize, n: usize| u8::from_str_radix(&h[i..i + n], 16).ok();
    match h.len() {
        3 => Some([byte(0, 1)? * 17, byte(1, 1)? * 17, byte(2, 1)? * 17]),
        6 => Some([byte(0, 2)?, byte(2, 2)?, byte(4, 2)?]),
        _ => None,
    }
}

/// WCAG 2.1 relative luminance, 0 (black) to 1 (white).
pub fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG 2.1 contrast ratio of two colours, 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The ink that reads best on `background` (a `#hex` colour); white when the
/// colour cannot be read.
pub fn ink_on(background: &str) -> &'static str {
    let Some(bg) = parse_hex(background) else {
        return LIGHT_INK;
    };
    let dark = parse_hex(DARK_INK).expect("constant");
    let light = parse_hex(LIGHT_INK).expect("constant");
    if contrast(bg, dark) > contrast(bg, light) {
        DARK_INK
    } else {
        LIGHT_INK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_tier_colours_get_dark_ink_where_white_failed() {
        // Gold, Jade and Silver of the demo programme: white was 2.6–3.9:1.
        for c in ["#c79a2b", "#3f8f6b", "#8a94a6"] {
            assert_eq!(ink_on(c), DARK_INK, "{c}");
        }
        assert_eq!(ink_on("#1d2a6b"), LIGHT_INK);
        assert_eq!(ink_on("not a colour"), LIGHT_INK);
    }

    #[test]
    fn every_background_gets_ink_of_at_least_4_5_to_1() {
        for r in (0..=255).step_by(15) {
            for g in (0..=255).step_by(15) {
                for b in (0..=255).step_by(15) {
                    let bg = [r as u8, g as u8, b as u8];
                    let hex = format!("#{r:02x}{g:02x}{b:02x}");
                    let ink = parse_hex(ink_on(&hex)).unwrap();
                    assert!(contrast(bg, ink) >= 4.5, "{hex}");
                }
            }
        }
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert_eq!(parse_hex("#fff"), Some([255, 255, 255]));
        // axe-core reported 2.59 for white on the demo gold.
        assert!((contrast([255, 255, 255], parse_hex("#c79a2b").unwrap()) - 2.59).abs() < 0.01);
    }
}
