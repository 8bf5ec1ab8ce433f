//! Non-seasonal ARIMA(p, d, q) with small orders, chosen by AICc.
//!
//! With w_t = ∇^d y_t and x_t = w_t − μ (μ the sample mean of w when a
//! constant is included: a mean for d = 0, a drift for d = 1),
//!
//! ```text
//! x_t = φ₁ x_{t−1} + … + φ_p x_{t−p} + e_t + θ₁ e_{t−1} + … + θ_q e_{t−q}
//! ```
//!
//! Coefficients minimise the conditional sum of squares (CSS) over
//! t = s, …, N − 1 with s = max(2, p, q) (N the length of w), so that all
//! the orders [`auto`] tries (p, q ≤ 2) are scored on the same
//! observations; −2 log L = N′ ln(SSE/N′) + N′(1 + ln 2π) with N′ = N − s,
//! and the criteria ([`Criteria`]: AIC, AICc, BIC) use n = N′ and
//! k = p + q + (1 with a constant) + 1 (σ²). [`fit_chosen`] fits one order
//! the caller chose, p, q ≤ [`MAX_ORDER`], d ≤ 2. AR and MA
//! polynomials are parametrised by partial autocorrelations r = tanh(z)
//! through the Durbin–Levinson recursion, so every trial point is stationary
//! and invertible.
//!
//! d ∈ {0, 1, 2} comes from repeated KPSS tests at the 5% level (statistic
//! η = Σ S_t² / (n² σ̂²), S_t partial sums of the demeaned series, σ̂² the
//! Newey–West long-run variance with ⌊3√n/13⌋ lags; critical value 0.463),
//! as in `forecast::ndiffs`. Seasonal series are adjusted first by
//! [`super::season::deseasonalise`] (classical multiplicative decomposition
//! after the 90% test, or the short-history indices for two seasons) and the
//! indices are multiplied back, in place of seasonal ARIMA terms: cheaper to fit,
//! and enough for the short monthly series of a shop.
//!
//! Prediction variance: σ² Σ_{j<h} ψ_j² with ψ the MA(∞) weights of
//! θ(B) / (φ(B)(1 − B)^d).

use std::fmt;

use super::intervals::{normal_intervals, robust_variance};
use super::optim::{minimize, NelderMead};
use super::season::{reseasonalise, Adjustment};
use super::stats::Criteria;
use super::types::Interval;

/// Conditioning start shared by the orders [`auto`] tries (their largest p
/// and q); a chosen order above it starts at max(p, q).
const START: usize = 2;

/// Largest AR or MA order [`fit_chosen`] accepts (CSS by Nelder–Mead
/// stays reliable up to about ten coefficients).
pub const MAX_ORDER: usize = 5;

/// A fitted ARIMA model.
#[derive(Debug, Clone)]
pub struct ArimaModel {
    /// AR order.
    pub p: usize,
    /// Differencing order.
    pub d: usize,
    /// MA order.
    pub q: usize,
    /// AR coefficients φ₁…φ_p.
    pub ar: Vec<f64>,
    /// MA coefficients θ₁…θ_q.
    pub ma: Vec<f64>,
    /// Mean (d = 0) or drift (d = 1) of the differenced series; 0 without a constant.
    pub constant: f64,
    /// Innovation variance, SSE / (N′ − k + 1) with outlying residuals capped
    /// (see [`robust_variance`]).
    pub sigma2: f64,
    /// Corrected AIC (the selection criterion).
    pub aicc: f64,
    /// Log-likelihood, AIC, AICc and BIC, with n and k and the order.
    pub criteria: Criteria,
    /// Seasonal indices applied before fitting, if any.
    pub indices: Option<Vec<f64>>,
    /// The (adjusted) series.
    y: Vec<f64>,
    /// In-sample residuals of the differenced series.
    resid: Vec<f64>,
}

impl fmt::Display for ArimaModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ARIMA({},{},{})", self.p, self.d, self.q)?;
        if self.constant != 0.0 {
            write!(f, " with {}", if self.d == 0 { "mean" } else { "drift" })?;
        }
        Ok(())
    }
}

/// Coefficients c₁…c_k of a stable polynomial 1 − Σ c_i B^i from partial
/// autocorrelations r_i ∈ (−1, 1) (Durbin–Levinson).
fn from_partials(r: &[f64]) -> Vec<f64> {
    let mut a: Vec<f64> = Vec::with_capacity(r.len());
    for (k, &rk) in r.iter().enumerate() {
        let prev = a.clone();
        for j in 0..k {
            a[j] = prev[j] - rk * prev[k - 1 - j];
        }
        a.push(rk);
    }
    a
}

/// The d-th difference of y.
fn difference(y: &[f64], d: usize) -> Vec<f64> {
    let mut w = y.to_vec();
    for _ in 0..d {
        w = w.windows(2).map(|p| p[1] - p[0]).collect();
    }
    w
}

/// KPSS level-stationarity statistic (see the module docs).
pub fn kpss_statistic(y: &[f64]) -> f64 {
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n as f64;
    let e: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let mut s = 0.0;
    let mut num = 0.0;
    for v in &e {
        s += v;
        num += s * s;
    }
    let lags = (3.0 * (n as f64).sqrt() / 13.0) as usize;
    let mut lr = e.iter().map(|v| v * v).sum::<f64>() / n as f64;
    for l in 1..=lags.min(n - 1) {
        let w = 1.0 - l as f64 / (lags as f64 + 1.0);
        let g: f64 = (l..n).map(|t| e[t] * e[t - l]).sum::<f64>() / n as f64;
        lr += 2.0 * w * g;
    }
    if lr <= 0.0 {
        return 0.0;
    }
    num / (n as f64 * n as f64 * lr)
}

/// Number of differences (0–2) by repeated KPSS tests at 5%.
pub fn choose_d(y: &[f64]) -> usize {
    let mut w = y.to_vec();
    for d in 0..2 {
        if w.len() < 8 {
            return d;
        }
        let first = w[0];
        if w.iter().all(|v| *v == first) || kpss_statistic(&w) <= 0.463 {
            return d;
        }
        w = difference(&w, 1);
    }
    2
}

/// CSS residuals of x given the coefficients; returns the SSE over t ≥ start.
fn css(x: &[f64], ar: &[f64], ma: &[f64], start: usize, resid: &mut Vec<f64>) -> f64 {
    resid.clear();
    let mut sse = 0.0;
    for t in 0..x.len() {
        if t < start {
            resid.push(0.0);
            continue;
        }
        let mut pred = 0.0;
        for (i, a) in ar.iter().enumerate() {
            pred += a * x[t - 1 - i];
        }
        for (j, b) in ma.iter().enumerate() {
            pred += b * resid[t - 1 - j];
        }
        let e = x[t] - pred;
        resid.push(e);
        sse += e * e;
    }
    sse
}

/// The fewest values [`fit_chosen`] can fit ARIMA(p, d, q) to: d lost to
/// differencing, the conditioning start max(2, p, q), and k + 4 residuals
/// (k = p + q + 1, plus the mean when d = 0; with d = 1 the drift is
/// dropped when the series is too short for it).
pub fn min_length(p: usize, d: usize, q: usize) -> usize {
    let k = p + q + usize::from(d == 0) + 1;
    d + START.max(p).max(q) + k + 4
}

/// Fits ARIMA(p, d, q) (p, q ≤ [`MAX_ORDER`], d ≤ 2) on y by CSS, with a
/// constant when `constant` and d ≤ 1. Returns `None` when the order is
/// out of range or the series too short (fewer than k + 4 usable
/// differenced values).
pub fn fit_order(y: &[f64], p: usize, d: usize, q: usize, constant: bool) -> Option<ArimaModel> {
    if p > MAX_ORDER || q > MAX_ORDER || d > 2 {
        return None;
    }
    let start = START.max(p).max(q);
    let w = difference(y, d);
    let constant = constant && d <= 1;
    let k = p + q + usize::from(constant) + 1;
    if w.len() < start + k + 4 {
        return None;
    }
    let mu = if constant {
        w.iter().sum::<f64>() / w.len() as f64
    } else {
        0.0
    };
    let x: Vec<f64> = w.iter().map(|v| v - mu).collect();
    let mut resid = Vec::with_capacity(x.len());
    let coefficients = |z: &[f64]| -> (Vec<f64>, Vec<f64>) {
        let r_ar: Vec<f64> = z[..p].iter().map(|v| v.tanh()).collect();
        let r_ma: Vec<f64> = z[p..].iter().map(|v| v.tanh()).collect();
        let ar = from_partials(&r_ar);
        // 1 + Σθ_j B^j = 1 − Σc_j B^j with c stable: invertible.
        let ma = from_partials(&r_ma).iter().map(|c| -c).collect();
        (ar, ma)
    };
    let dim = p + q;
    let best = minimize(
        |z| {
            let (ar, ma) = coefficients(z);
            css(&x, &ar, &ma, start, &mut resid)
        },
        &vec![0.1; dim],
        &vec![0.3; dim],
        &vec![-3.0; dim],
        &vec![3.0; dim],
        NelderMead {
            max_evals: 100 * (dim + 1),
            tol: 1e-5,
        },
    );
    let (ar, ma) = coefficients(&best.x);
    let sse = css(&x, &ar, &ma, start, &mut resid);
    let n_eff = x.len() - start;
    let nf = n_eff as f64;
    let sigma2 = (sse / nf).max(1e-300);
    let n2ll = nf * sigma2.ln() + nf * (1.0 + (2.0 * std::f64::consts::PI).ln());
    let mut criteria = Criteria::new(-0.5 * n2ll, n_eff, k);
    criteria.order = Some([p, d, q]);
    Some(ArimaModel {
        p,
        d,
        q,
        ar,
        ma,
        constant: mu,
        sigma2: robust_variance(&resid[start..], k - 1),
        aicc: criteria.aicc,
        criteria,
        indices: None,
        y: y.to_vec(),
        resid,
    })
}

/// Chooses d by KPSS, then p, q ∈ {0, 1, 2} and the constant by AICc.
/// Seasonal series are adjusted first (see the module docs). `None` for
/// series too short for any order.
pub fn auto(y: &[f64], period: usize) -> Option<ArimaModel> {
    auto_adjusted(&Adjustment::new(y, period))
}

/// [`auto`] on a series already adjusted (the combination adjusts once for
/// all its members).
pub fn auto_adjusted(adjustment: &Adjustment) -> Option<ArimaModel> {
    let adjusted = &adjustment.adjusted;
    let d = choose_d(adjusted);
    let mut best: Option<ArimaModel> = None;
    for p in 0..=2 {
        for q in 0..=2 {
            // A constant always for d = 0 (a mean), never for d = 2, and
            // chosen by AICc for d = 1 (drift), as auto.arima does.
            for constant in [true, false] {
                if (constant && d == 2) || (!constant && d == 0) {
                    continue;
                }
                if let Some(m) = fit_order(adjusted, p, d, q, constant) {
                    if best.as_ref().is_none_or(|b| m.aicc < b.aicc) {
                        best = Some(m);
                    }
                }
            }
        }
    }
    best.map(|mut m| {
        m.indices.clone_from(&adjustment.indices);
        m
    })
}

/// ARIMA(p, d, q) of an order the caller chose, fitted to the (seasonally
/// adjusted) series: a constant for d = 0 (the mean), chosen by AICc for
/// d = 1 (drift), none for d = 2, as [`auto`] does. `None` when the
/// order is out of range or the series shorter than [`min_length`].
pub fn fit_chosen(adjustment: &Adjustment, p: usize, d: usize, q: usize) -> Option<ArimaModel> {
    let adjusted = &adjustment.adjusted;
    let with = fit_order(adjusted, p, d, q, d <= 1);
    let without = if d == 1 {
        fit_order(adjusted, p, d, q, false)
    } else {
        None
    };
    let best = match (with, without) {
        (Some(a), Some(b)) => Some(if b.aicc < a.aicc { b } else { a }),
        (a, b) => a.or(b),
    };
    best.map(|mut m| {
        m.indices.clone_from(&adjustment.indices);
        m
    })
}

impl ArimaModel {
    /// Point forecasts and normal intervals at `levels`.
    pub fn forecast(&self, horizon: usize, levels: &[f64]) -> (Vec<f64>, Vec<Interval>) {
        let w = difference(&self.y, self.d);
        let mut x: Vec<f64> = w.iter().map(|v| v - self.constant).collect();
        let mut e = self.resid.clone();
        let n = x.len();
        for t in n..n + horizon {
            let mut pred = 0.0;
            for (i, a) in self.ar.iter().enumerate() {
                if t > i {
                    pred += a * x[t - 1 - i];
                }
            }
            for (j, b) in self.ma.iter().enumerate() {
                if t > j {
                    pred += b * e[t - 1 - j];
                }
            }
            x.push(pred);
            e.push(0.0);
        }
        let mut future: Vec<f64> = x[n..].iter().map(|v| v + self.constant).collect();
        // Undo the differences, innermost last: integrate from the last
        // value of each lower-order difference.
        for level in (0..self.d).rev() {
            let base = difference(&self.y, level);
            let mut last = *base.last().expect("a fitted series is non-empty");
            for v in future.iter_mut() {
                last += *v;
                *v = last;
            }
        }
        // ψ weights of θ(B) / (φ(B)(1 − B)^d).
        let mut phi_star = self.ar.clone();
        for _ in 0..self.d {
            // Multiply 1 − Σa_i B^i by (1 − B).
            let mut next = vec![0.0; phi_star.len() + 1];
            for (i, a) in phi_star.iter().enumerate() {
                next[i] += a;
                next[i + 1] -= a;
            }
            next[0] += 1.0;
            phi_star = next;
        }
        let mut psi = vec![1.0];
        for j in 1..horizon {
            let mut v = if j <= self.ma.len() {
                self.ma[j - 1]
            } else {
                0.0
            };
            for (i, a) in phi_star.iter().enumerate() {
                if j > i {
                    v += a * psi[j - 1 - i];
                }
            }
            psi.push(v);
        }
        let mut acc = 0.0;
        let mut sd = Vec::with_capacity(horizon);
        for p in psi.iter().take(horizon) {
            acc += p * p;
            sd.push((self.sigma2 * acc).sqrt());
        }
        if let Some(idx) = &self.indices {
            reseasonalise(&mut future, idx, self.y.len());
            reseasonalise(&mut sd, idx, self.y.len());
        }
        let iv = normal_intervals(&future, &sd, levels);
        (future, iv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AR(1) with φ = 0.7 driven by a fixed pseudo-random sequence.
    fn ar1(n: usize) -> Vec<f64> {
        let mut rng = crate::forecast::intervals::NormalSampler::new(3);
        let mut x = 0.0;
        (0..n)
            .map(|_| {
                x = 0.7 * x + rng.sample();
                10.0 + x
            })
            .collect()
    }

    #[test]
    fn durbin_levinson_for_two_partials() {
        // φ₂ = r₂, φ₁ = r₁(1 − r₂).
        let a = from_partials(&[0.5, 0.2]);
        assert!((a[0] - 0.4).abs() < 1e-12 && (a[1] - 0.2).abs() < 1e-12);
    }

    #[test]
    fn recovers_an_ar1_coefficient() {
        let y = ar1(400);
        let m = fit_order(&y, 1, 0, 0, true).unwrap();
        assert!((m.ar[0] - 0.7).abs() < 0.08, "{:?}", m.ar);
        assert!((m.constant - 10.0).abs() < 0.5);
    }

    #[test]
    fn arima_111_fits_and_forecasts_a_random_walk_with_drift() {
        let mut rng = crate::forecast::intervals::NormalSampler::new(5);
        let mut v = 50.0;
        let y: Vec<f64> = (0..120)
            .map(|_| {
                v += 1.0 + rng.sample();
                v
            })
            .collect();
        let m = fit_order(&y, 1, 1, 1, true).unwrap();
        assert_eq!(m.to_string(), "ARIMA(1,1,1) with drift");
        let (p, iv) = m.forecast(10, &[80.0, 95.0]);
        // Drift ≈ 1 per step.
        assert!((p[9] - p[0] - 9.0).abs() < 3.0, "{p:?}");
        assert!(iv[1].upper[9] - iv[1].lower[9] > iv[1].upper[0] - iv[1].lower[0]);
        assert!(choose_d(&y) >= 1);
    }

    #[test]
    fn criteria_of_a_chosen_order_follow_their_formulas() {
        // ARIMA(1,0,0) with a mean on 400 values: the conditioning start is
        // 2, so n = 398, and k = p + mean + σ² = 3.
        let y = ar1(400);
        let m = fit_chosen(&Adjustment::new(&y, 1), 1, 0, 0).unwrap();
        let c = &m.criteria;
        assert_eq!((c.n, c.k, c.order), (398, 3, Some([1, 0, 0])));
        let n2ll = -2.0 * c.loglik;
        assert!((c.aic - (n2ll + 6.0)).abs() < 1e-9);
        assert!((c.aicc - (c.aic + 2.0 * 3.0 * 4.0 / (398.0 - 4.0))).abs() < 1e-9);
        assert!((c.bic - (n2ll + 3.0 * 398f64.ln())).abs() < 1e-9);
        assert_eq!(m.aicc, c.aicc);
        // A higher order starts later: ARIMA(4,0,0) has n = 396.
        let m4 = fit_chosen(&Adjustment::new(&y, 1), 4, 0, 0).unwrap();
        assert_eq!((m4.criteria.n, m4.criteria.k), (396, 6));
        assert!(fit_chosen(&Adjustment::new(&y, 1), MAX_ORDER + 1, 0, 0).is_none());
        assert_eq!(min_length(1, 1, 1), 1 + 2 + 3 + 4);
        assert!(fit_chosen(&Adjustment::new(&y[..9], 1), 1, 1, 1).is_none());
        assert!(fit_chosen(&Adjustment::new(&y[..10], 1), 1, 1, 1).is_some());
        assert_eq!(min_length(0, 0, 0), 2 + 2 + 4);
        assert!(fit_chosen(&Adjustment::new(&y[..7], 1), 0, 0, 0).is_none());
        assert!(fit_chosen(&Adjustment::new(&y[..8], 1), 0, 0, 0).is_some());
    }

    #[test]
    fn a_stationary_series_needs_no_difference() {
        assert_eq!(choose_d(&ar1(200)), 0);
    }
}
