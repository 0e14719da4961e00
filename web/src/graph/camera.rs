//! The graph's camera: the SVG `viewBox`, and the zoom and pan arithmetic
//! that maps pointer positions (CSS pixels) to drawing coordinates.
//!
//! Pure so it can be tested natively; the component only feeds it event
//! coordinates and the element's size.

/// Zoom step of one button press or one wheel notch.
pub const ZOOM_STEP: f64 = 1.25;
/// The smallest visible width, in drawing units (about 4 nodes).
const MIN_WIDTH: f64 = 160.0;
/// How far out one may zoom, relative to the fitted drawing.
const MAX_OUT: f64 = 4.0;

/// The visible part of the drawing, as the SVG `viewBox` attribute holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl ViewBox {
    /// The whole drawing of `width` × `height`.
    pub fn fit(width: f64, height: f64) -> Self {
        ViewBox { x: 0.0, y: 0.0, w: width.max(1.0), h: height.max(1.0) }
    }

    /// The `viewBox` attribute value.
    pub fn attr(&self) -> String {
        let mut s = String::new();
        super::num::join(&mut s, &[self.x, self.y, self.w, self.h], &[" ", " ", " "]);
        s
    }

    /// Drawing units per CSS pixel on an element of `client_w` × `client_h`
    /// with the default `preserveAspectRatio="xMidYMid meet"`.
    pub fn scale(&self, client_w: f64, client_h: f64) -> f64 {
        (self.w / client_w.max(1.0)).max(self.h / client_h.max(1.0))
    }

    /// The drawing point under pixel (`px`, `py`) of the element.
    pub fn to_user(&self, px: f64, py: f64, client_w: f64, client_h: f64) -> (f64, f64) {
        let s = self.scale(client_w, client_h);
        (self.x + self.w / 2.0 + (px - client_w / 2.0) * s, self.y + self.h / 2.0 + (py - client_h / 2.0) * s)
    }

    /// Zooms by `factor` (> 1 zooms in) keeping drawing point (`ux`, `uy`)
    /// where it is on screen; clamped between a few nodes and `MAX_OUT`
    /// times the `fitted` drawing.
    pub fn zoom(&self, factor: f64, ux: f64, uy: f64, fitted: &ViewBox) -> Self {
        let max_w = fitted.w.max(fitted.h * self.w / self.h.max(1e-9)) * MAX_OUT;
        // `max`/`min` rather than `f64::clamp`: the bounds are ordered by construction, and
        // `clamp`'s "min > max" panic message formats its `f64`s with `Debug`, the page's last
        // user of the float formatting code (~12 KB of wasm).
        let w = (self.w / factor).max(MIN_WIDTH.min(self.w)).min(max_w.max(self.w));
        let k = w / self.w;
        let h = self.h * k;
        ViewBox { x: ux - (ux - self.x) * k, y: uy - (uy - self.y) * k, w, h }
    }

    /// Moves the view by a pointer drag of (`dx`, `dy`) CSS pixels.
    pub fn pan(&self, dx: f64, dy: f64, client_w: f64, client_h: f64) -> Self {
        let s = self.scale(client_w, client_h);
        ViewBox { x: self.x - dx * s, y: self.y - dy * s, ..*self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let fitted = ViewBox::fit(1000.0, 500.0);
        let (ux, uy) = fitted.to_user(300.0, 100.0, 800.0, 400.0);
        let z = fitted.zoom(2.0, ux, uy, &fitted);
        assert!(close(z.w, 500.0) && close(z.h, 250.0));
        let (ux2, uy2) = z.to_user(300.0, 100.0, 800.0, 400.0);
        assert!(close(ux, ux2) && close(uy, uy2), "({ux},{uy}) moved to ({ux2},{uy2})");
    }

    #[test]
    fn zoom_is_clamped_both_ways() {
        let fitted = ViewBox::fit(1000.0, 500.0);
        let mut v = fitted;
        for _ in 0..100 {
            v = v.zoom(ZOOM_STEP, 500.0, 250.0, &fitted);
        }
        assert!(close(v.w, MIN_WIDTH));
        for _ in 0..100 {
            v = v.zoom(1.0 / ZOOM_STEP, 500.0, 250.0, &fitted);
        }
        assert!(close(v.w, 1000.0 * MAX_OUT));
    }

    #[test]
    fn pan_moves_by_pixels_times_scale() {
        let v = ViewBox::fit(1600.0, 800.0);
        // An 800 × 400 element shows 2 units per pixel.
        let p = v.pan(10.0, -5.0, 800.0, 400.0);
        assert!(close(p.x, -20.0) && close(p.y, 10.0));
        assert_eq!(p.attr(), "-20 10 1600 800");
    }
}
