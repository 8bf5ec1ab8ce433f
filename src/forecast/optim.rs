//! A small bounded Nelder–Mead minimiser.
//!
//! Every model here has at most a handful of parameters (ETS: α, β, γ, φ plus
//! the initial level and slope; ARIMA: up to five coefficients), and the
//! objectives are cheap, noisy in their last digits and not always smooth at
//! the admissible boundary. A derivative-free simplex method is the usual
//! choice for this (R's `forecast::ets` and statsforecast both use
//! Nelder–Mead), and a hand-written one costs a few hundred lines less than a
//! general optimisation crate in the wasm module.
//!
//! Bounds are handled by projection: every trial point is clamped into the
//! box before it is evaluated, so the objective never sees an inadmissible
//! value. Models that need more structure (β ≤ α, stationarity) map a box onto
//! their admissible region themselves.

/// Options of [`minimize`].
#[derive(Debug, Clone, Copy)]
pub struct NelderMead {
    /// Largest number of objective evaluations. Default 400.
    pub max_evals: usize,
    /// Stop when the spread of objective values across the simplex falls
    /// below `tol · (|f_best| + tol)`. Default 1e-8.
    pub tol: f64,
}

impl Default for NelderMead {
    fn default() -> Self {
        NelderMead {
            max_evals: 400,
            tol: 1e-8,
        }
    }
}

/// The best point found and its objective value.
#[derive(Debug, Clone)]
pub struct Minimum {
    /// Parameters at the minimum (inside the bounds).
    pub x: Vec<f64>,
    /// Objective value there.
    pub f: f64,
    /// Evaluations used.
    pub evals: usize,
}

/// Minimises `f` over the box `lower ≤ x ≤ upper`, starting at `x0` with an
/// initial simplex of `x0 + step_i · e_i` (the step is reversed when it would
/// leave the box).
///
/// Standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½.
/// Non-finite objective values count as +∞, so a model can reject a point by
/// returning `f64::INFINITY` or NaN.
pub fn minimize<F>(
    mut f: F,
    x0: &[f64],
    step: &[f64],
    lower: &[f64],
    upper: &[f64],
    opts: NelderMead,
) -> Minimum
where
    F: FnMut(&[f64]) -> f64,
{
    let n = x0.len();
    let clamp = |x: &mut [f64]| {
        for i in 0..x.len() {
            x[i] = x[i].clamp(lower[i], upper[i]);
        }
    };
    let mut evals = 0usize;
    let mut eval = |x: &[f64], evals: &mut usize| {
        *evals += 1;
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    if n == 0 {
        let v = eval(x0, &mut evals);
        return Minimum {
            x: Vec::new(),
            f: v,
            evals,
        };
    }
    // Simplex of n + 1 points with their values.
    let mut pts: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut start = x0.to_vec();
    clamp(&mut start);
    pts.push(start.clone());
    for i in 0..n {
        let mut p = start.clone();
        let mut s = step[i];
        if p[i] + s > upper[i] {
            s = -s;
        }
        p[i] += s;
        clamp(&mut p);
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(|p| eval(p, &mut evals)).collect();
    let mut order: Vec<usize> = (0..=n).collect();
    let mut centroid = vec![0.0; n];
    let mut trial = vec![0.0; n];
    let mut trial2 = vec![0.0; n];
    while evals < opts.max_evals {
        order.sort_unstable_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        let (best, worst, second) = (order[0], order[n], order[n - 1]);
        let spread = vals[worst] - vals[best];
        if vals[best].is_finite() && spread <= opts.tol * (vals[best].abs() + opts.tol) {
            break;
        }
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for &i in &order[..n] {
            for (c, v) in centroid.iter_mut().zip(&pts[i]) {
                *c += v / n as f64;
            }
        }
        // Reflection.
        for j in 0..n {
            trial[j] = centroid[j] + (centroid[j] - pts[worst][j]);
        }
        clamp(&mut trial);
        let fr = eval(&trial, &mut evals);
        if fr < vals[best] {
            // Expansion.
            for j in 0..n {
                trial2[j] = centroid[j] + 2.0 * (centroid[j] - pts[worst][j]);
            }
            clamp(&mut trial2);
            let fe = eval(&trial2, &mut evals);
            if fe < fr {
                pts[worst].copy_from_slice(&trial2);
                vals[worst] = fe;
            } else {
                pts[worst].copy_from_slice(&trial);
                vals[worst] = fr;
            }
            continue;
        }
        if fr < vals[second] {
            pts[worst].copy_from_slice(&trial);
            vals[worst] = fr;
            continue;
        }
        // Contraction: outside when the reflection improved on the worst.
        let outside = fr < vals[worst];
        for j in 0..n {
            let towards = if outside { trial[j] } else { pts[worst][j] };
            trial2[j] = centroid[j] + 0.5 * (towards - centroid[j]);
        }
        clamp(&mut trial2);
        let fc = eval(&trial2, &mut evals);
        if fc < fr.min(vals[worst]) {
            pts[worst].copy_from_slice(&trial2);
            vals[worst] = fc;
            continue;
        }
        // Shrink towards the best point.
        let best_pt = pts[best].clone();
        for i in 0..=n {
            if i == best {
                continue;
            }
            for j in 0..n {
                pts[i][j] = best_pt[j] + 0.5 * (pts[i][j] - best_pt[j]);
            }
            vals[i] = eval(&pts[i], &mut evals);
        }
    }
    let best = (0..=n)
        .min_by(|&a, &b| vals[a].total_cmp(&vals[b]))
        .expect("the simplex has n + 1 ≥ 1 points");
    Minimum {
        x: pts[best].clone(),
        f: vals[best],
        evals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_quadratic() {
        // (x − 1)² + 10 (y + 2)², minimum 0 at (1, −2).
        let m = minimize(
            |x| (x[0] - 1.0).powi(2) + 10.0 * (x[1] + 2.0).powi(2),
            &[0.0, 0.0],
            &[0.5, 0.5],
            &[-5.0, -5.0],
            &[5.0, 5.0],
            NelderMead {
                max_evals: 2000,
                tol: 1e-14,
            },
        );
        assert!((m.x[0] - 1.0).abs() < 1e-4, "{:?}", m.x);
        assert!((m.x[1] + 2.0).abs() < 1e-4, "{:?}", m.x);
    }

    #[test]
    fn respects_the_bounds() {
        // Unconstrained minimum at 3 lies outside [0, 1]: the answer is 1.
        let m = minimize(
            |x| (x[0] - 3.0).powi(2),
            &[0.5],
            &[0.2],
            &[0.0],
            &[1.0],
            NelderMead::default(),
        );
        assert!((m.x[0] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn survives_non_finite_values() {
        let m = minimize(
            |x| if x[0] < 0.2 { f64::NAN } else { x[0] },
            &[0.5],
            &[0.2],
            &[0.0],
            &[1.0],
            NelderMead::default(),
        );
        assert!(m.x[0] >= 0.2 && m.x[0] < 0.21, "{:?}", m.x);
    }
}
