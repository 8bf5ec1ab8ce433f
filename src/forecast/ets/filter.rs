//! The state equations run over a series: the one-step update, the
//! likelihood, the heuristic initial states and the parameter count.

use super::spec::{ErrorKind, EtsSpec, Params, SeasonKind, State, TrendKind};
use crate::forecast::season::{additive_indices, multiplicative_indices};
use crate::forecast::stats::least_squares_line;

/// Runs one observation through the state equations; returns ŷ_t, or
/// `None` when a multiplicative component would need a non-positive value.
#[inline(always)]
pub(super) fn step(
    spec: &EtsSpec,
    p: &Params,
    st: &mut State,
    phase: usize,
    y: f64,
) -> Option<f64> {
    let phi_b = match spec.trend {
        TrendKind::None => 0.0,
        TrendKind::Additive => st.slope,
        TrendKind::Damped => p.phi * st.slope,
    };
    let q = st.level + phi_b;
    let (yhat, adjusted) = match spec.season {
        SeasonKind::None => (q, y),
        SeasonKind::Additive => {
            let s = st.season[phase];
            (q + s, y - s)
        }
        SeasonKind::Multiplicative => {
            let s = st.season[phase];
            if q <= 0.0 || s <= 0.0 {
                return None;
            }
            (q * s, y / s)
        }
    };
    let err = adjusted - q;
    st.level = q + p.alpha * err;
    if spec.trend != TrendKind::None {
        st.slope = phi_b + p.beta * err;
    }
    match spec.season {
        SeasonKind::None => {}
        SeasonKind::Additive => {
            let s = st.season[phase];
            st.season[phase] = s + p.gamma * (y - q - s);
        }
        SeasonKind::Multiplicative => {
            let s = st.season[phase];
            st.season[phase] = s + p.gamma * (y / q - s);
        }
    }
    Some(yhat)
}

/// The one-step forecast ŷ from the current states (no update).
#[inline]
pub(super) fn one_step(spec: &EtsSpec, p: &Params, st: &State, phase: usize) -> f64 {
    let q = match spec.trend {
        TrendKind::None => st.level,
        TrendKind::Additive => st.level + st.slope,
        TrendKind::Damped => st.level + p.phi * st.slope,
    };
    match spec.season {
        SeasonKind::None => q,
        SeasonKind::Additive => q + st.season[phase],
        SeasonKind::Multiplicative => q * st.season[phase],
    }
}

/// Sum of squared errors (in the model's error form) and Σ ln|ŷ|, or `None`
/// for an inadmissible path.
///
/// This loop is most of the fitting time (AutoETS runs it some 5,000
/// times).
pub(super) fn filter(
    y: &[f64],
    spec: &EtsSpec,
    m: usize,
    p: &Params,
    st: &mut State,
) -> Option<(f64, f64)> {
    // Only the seasonal form is made a constant: it decides the memory
    // access pattern; error and trend are cheap, well-predicted branches.
    // (All 18 forms as constants ran ~15% faster but tripled this code in
    // the wasm module.)
    match spec.season {
        SeasonKind::None => filter_form(y, spec, SeasonKind::None, m, p, st),
        SeasonKind::Additive => filter_form(y, spec, SeasonKind::Additive, m, p, st),
        SeasonKind::Multiplicative => filter_form(y, spec, SeasonKind::Multiplicative, m, p, st),
    }
}

#[inline(always)]
fn filter_form(
    y: &[f64],
    spec: &EtsSpec,
    season: SeasonKind,
    m: usize,
    p: &Params,
    st: &mut State,
) -> Option<(f64, f64)> {
    let spec = &EtsSpec { season, ..*spec };
    let mut sse = 0.0;
    let mut log_sum = 0.0;
    let mut phase = 0;
    for &v in y {
        let yhat = step(spec, p, st, phase, v)?;
        let e = match spec.error {
            ErrorKind::Additive => v - yhat,
            ErrorKind::Multiplicative => {
                if yhat <= 0.0 {
                    return None;
                }
                log_sum += yhat.ln();
                (v - yhat) / yhat
            }
        };
        sse += e * e;
        phase += 1;
        if phase == m {
            phase = 0;
        }
    }
    if sse.is_finite() {
        Some((sse, log_sum))
    } else {
        None
    }
}

/// −2 log L of the concentrated Gaussian likelihood (see the module docs).
pub(super) fn neg2_log_lik(n: usize, sse: f64, log_sum: f64) -> f64 {
    let nf = n as f64;
    // A perfect fit has SSE 0: floor it so that the criterion stays finite
    // (and very good) instead of −∞.
    let sse = sse.max(1e-300);
    nf * (sse / nf).ln() + nf * (1.0 + (2.0 * std::f64::consts::PI).ln()) + 2.0 * log_sum
}

/// Heuristic initial states (Hyndman et al. 2008, §2.6.1): seasonal indices
/// from a classical decomposition of the first (up to) three seasons; level
/// and slope from a least-squares line through the first max(10, 2m)
/// seasonally adjusted values.
pub(super) fn initial_state(y: &[f64], spec: &EtsSpec, m: usize) -> Option<State> {
    let n = y.len();
    let season = match spec.season {
        SeasonKind::None => vec![0.0],
        SeasonKind::Additive => additive_indices(&y[..n.min(3 * m)], m)?,
        SeasonKind::Multiplicative => multiplicative_indices(&y[..n.min(3 * m)], m)?,
    };
    let k = n.min(10.max(2 * m));
    let adjusted: Vec<f64> = (0..k)
        .map(|t| match spec.season {
            SeasonKind::None => y[t],
            SeasonKind::Additive => y[t] - season[t % m],
            SeasonKind::Multiplicative => y[t] / season[t % m],
        })
        .collect();
    let (level, slope) = if spec.trend == TrendKind::None {
        (adjusted.iter().sum::<f64>() / k as f64, 0.0)
    } else {
        // Line a + b·t through (1, x₁) … (k, x_k); ℓ₀ is its value at t = 0.
        let (a, b) = least_squares_line(&adjusted, 1.0);
        (a, b)
    };
    Some(State {
        level,
        slope,
        season,
    })
}

/// Number of estimated parameters k of a model form (including σ²).
pub fn n_params(spec: &EtsSpec, m: usize) -> usize {
    let mut k = 2; // α, ℓ₀
    if spec.trend != TrendKind::None {
        k += 2; // β, b₀
    }
    if spec.trend == TrendKind::Damped {
        k += 1;
    }
    if spec.season != SeasonKind::None {
        k += 1 + (m - 1);
    }
    k + 1
}
