//! Colours, fonts and sizes shared by every chart.

use plotters::style::{FontFamily, RGBColor, TextStyle};

/// Chart background.
pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
/// Titles and labels.
pub const TEXT: RGBColor = RGBColor(27, 31, 36);
/// Secondary text and grid.
pub const MUTED: RGBColor = RGBColor(87, 96, 106);
/// Reference lines (latency bounds, speedup 1x).
pub const REFERENCE: RGBColor = RGBColor(207, 34, 46);
/// Series colours, in order; colour-blind-safe (Okabe-Ito).
pub const SERIES: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(120, 120, 120),
];

/// The colour of series number `i` (cycling).
pub fn series_color(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// Scaling of fonts, margins and strokes.
///
/// plotters draws in bitmap pixels; on a HiDPI screen the canvas bitmap is
/// `devicePixelRatio` times its CSS size, so everything is scaled by that ratio to keep the
/// same size on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Bitmap pixels per CSS pixel (the page's `devicePixelRatio`), at least 1.
    pub scale: f64,
}

impl Default for ChartStyle {
    fn default() -> Self {
        Self { scale: 1.0 }
    }
}

impl ChartStyle {
    /// A style for a bitmap `scale` times its CSS size (clamped to 1..=4).
    pub fn with_scale(scale: f64) -> Self {
        let scale = if scale.is_finite() {
            scale.clamp(1.0, 4.0)
        } else {
            1.0
        };
        Self { scale }
    }

    /// `css_px` CSS pixels in bitmap pixels.
    pub fn px(&self, css_px: f64) -> i32 {
        (css_px * self.scale).round() as i32
    }

    /// `css_px` CSS pixels in bitmap pixels, unsigned (for label areas and margins).
    pub fn upx(&self, css_px: f64) -> u32 {
        self.px(css_px).max(0) as u32
    }

    /// A sans-serif font of `css_px` CSS pixels.
    pub fn font(&self, css_px: f64) -> TextStyle<'static> {
        TextStyle::from((FontFamily::SansSerif, css_px * self.scale))
    }

    /// A stroke width of `css_px` CSS pixels (at least 1 bitmap pixel).
    pub fn stroke(&self, css_px: f64) -> u32 {
        self.upx(css_px).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_multiplies_sizes_and_is_clamped() {
        let s = ChartStyle::with_scale(2.0);
        assert_eq!(s.px(10.0), 20);
        assert_eq!(s.stroke(0.2), 1);
        assert_eq!(ChartStyle::with_scale(0.5).scale, 1.0);
        assert_eq!(ChartStyle::with_scale(f64::NAN).scale, 1.0);
        assert_eq!(ChartStyle::with_scale(9.0).scale, 4.0);
    }
}
