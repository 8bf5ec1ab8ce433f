//! ABC and XYZ classes: how much a product matters, and how steadily it
//! sells.
//!
//! **ABC by revenue share.** Products are sorted by net revenue, highest
//! first (ties by product order). Walking down the list with the running
//! share of the total *before* each product:
//!
//! ```text
//! A  while the share before it is < 80 %  (so the product crossing 80 % is A)
//! B  while the share before it is < 95 %  (the next 15 %)
//! C  the rest, and every product whose revenue is ≤ 0
//! ```
//!
//! The total is the sum of the positive revenues. A log without prices
//! ranks by net units instead (the caller passes units as "revenue").
//!
//! **XYZ by the coefficient of variation** of per-period demand over the
//! product's active history (from its first period with a line):
//! `cv = σ / μ`, σ the population standard deviation.
//!
//! ```text
//! X  cv ≤ 0.5    steady
//! Y  cv ≤ 1.0    variable
//! Z  cv > 1.0    erratic, and every product with μ ≤ 0 or fewer than
//!                MIN_XYZ_PERIODS (4) active periods
//! ```
//!
//! Thresholds 0.5 and 1.0 are the common textbook ones; four periods is
//! the least from which a spread means anything.

use serde::Serialize;

/// Share of revenue that A products make up (the product that crosses it
/// is A).
pub const A_SHARE: f64 = 0.80;
/// Share of revenue that A and B products make up together.
pub const B_SHARE: f64 = 0.95;
/// Highest cv of an X product.
pub const X_CV: f64 = 0.5;
/// Highest cv of a Y product.
pub const Y_CV: f64 = 1.0;
/// Fewest active periods for X or Y.
pub const MIN_XYZ_PERIODS: usize = 4;

/// A product's ABC class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Abc {
    /// The products making the first 80 % of revenue.
    A,
    /// The next 15 %.
    B,
    /// The rest.
    C,
}

/// A product's XYZ class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Xyz {
    /// Steady: cv ≤ 0.5.
    X,
    /// Variable: cv ≤ 1.0.
    Y,
    /// Erratic, or too little history.
    Z,
}

impl Abc {
    /// `A`, `B` or `C`.
    pub fn name(self) -> &'static str {
        match self {
            Abc::A => "A",
            Abc::B => "B",
            Abc::C => "C",
        }
    }
}

impl Xyz {
    /// `X`, `Y` or `Z`.
    pub fn name(self) -> &'static str {
        match self {
            Xyz::X => "X",
            Xyz::Y => "Y",
            Xyz::Z => "Z",
        }
    }
}

/// ABC classes of products by their revenues (in product order).
pub fn abc(revenue: &[f64]) -> Vec<Abc> {
    let mut order: Vec<usize> = (0..revenue.len()).filter(|&i| revenue[i] > 0.0).collect();
    // Stable sort: ties keep product order.
    order.sort_by(|&a, &b| revenue[b].total_cmp(&revenue[a]));
    let total: f64 = order.iter().map(|&i| revenue[i]).sum();
    let mut classes = vec![Abc::C; revenue.len()];
    let mut before = 0.0;
    for &i in &order {
        let share = before / total;
        classes[i] = if share < A_SHARE {
            Abc::A
        } else if share < B_SHARE {
            Abc::B
        } else {
            Abc::C
        };
        before += revenue[i];
    }
    classes
}

/// The coefficient of variation of a demand series, `None` when its mean
/// is ≤ 0 (or it is empty).
pub fn cv(demand: &[f64]) -> Option<f64> {
    let n = demand.len() as f64;
    let mean = demand.iter().sum::<f64>() / n;
    if demand.is_empty() || mean <= 0.0 {
        return None;
    }
    let var = demand.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n;
    Some(var.sqrt() / mean)
}

/// The XYZ class of an active demand history (see the module docs).
pub fn xyz(demand: &[f64]) -> Xyz {
    match cv(demand) {
        Some(c) if demand.len() >= MIN_XYZ_PERIODS && c <= X_CV => Xyz::X,
        Some(c) if demand.len() >= MIN_XYZ_PERIODS && c <= Y_CV => Xyz::Y,
        _ => Xyz::Z,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abc_by_hand() {
        // Revenues 10, 50, 0, 25, 10, 5, −3: total of the positive = 100.
        // Sorted: p1 50 (share before 0 → A), p3 25 (0.50 → A),
        // p0 10 (0.75 → A: it crosses 80 %), p4 10 (0.85 → B; tie with p0,
        // after it by product order), p5 5 (0.95 → C), p2 0 and p6 −3 → C.
        let classes = abc(&[10.0, 50.0, 0.0, 25.0, 10.0, 5.0, -3.0]);
        use Abc::*;
        assert_eq!(classes, [A, A, C, A, B, C, C]);
        assert_eq!(abc(&[0.0, -1.0]), [C, C]);
        assert_eq!(abc(&[]), []);
    }

    #[test]
    fn xyz_by_hand() {
        // [10, 10, 10, 10]: σ 0 → X.
        assert_eq!(xyz(&[10.0; 4]), Xyz::X);
        // [5, 15, 5, 15]: μ 10, σ 5, cv 0.5 → X (the bound is inclusive).
        assert_eq!(cv(&[5.0, 15.0, 5.0, 15.0]), Some(0.5));
        assert_eq!(xyz(&[5.0, 15.0, 5.0, 15.0]), Xyz::X);
        // [0, 20, 0, 20]: μ 10, σ 10, cv 1.0 → Y.
        assert_eq!(xyz(&[0.0, 20.0, 0.0, 20.0]), Xyz::Y);
        // [0, 0, 0, 40]: μ 10, σ √300 = 17.3, cv 1.73 → Z.
        assert_eq!(xyz(&[0.0, 0.0, 0.0, 40.0]), Xyz::Z);
        // Too short, or nothing sold.
        assert_eq!(xyz(&[10.0; 3]), Xyz::Z);
        assert_eq!(xyz(&[0.0; 8]), Xyz::Z);
        assert_eq!(cv(&[]), None);
    }
}
