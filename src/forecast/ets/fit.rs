//! Maximum-likelihood fitting of one model form.

use super::filter::{filter, initial_state, n_params, neg2_log_lik, step};
use super::spec::{ErrorKind, EtsModel, EtsSpec, Params, SeasonKind, State, TrendKind};
use crate::forecast::intervals::robust_variance;
use crate::forecast::optim::{minimize, NelderMead};
use crate::forecast::stats::aicc;

/// Fits one model form by maximum likelihood. Returns `None` when the form
/// does not apply (multiplicative components with non-positive data, too
/// few observations for its parameters, or no admissible parameters found).
pub fn fit(y: &[f64], spec: EtsSpec, period: usize) -> Option<EtsModel> {
    fit_with(y, spec, period, false)
}

/// [`fit`], optionally also optimising the m initial seasonal states (in a
/// second Nelder–Mead run started from the first one's optimum, with the
/// states renormalised to sum 0 / mean 1 on every trial). Several times
/// slower, so [`auto`](super::auto) selects with heuristic states and refits only the
/// winner this way.
pub fn fit_with(
    y: &[f64],
    spec: EtsSpec,
    period: usize,
    seasonal_states: bool,
) -> Option<EtsModel> {
    let n = y.len();
    let m = if spec.season == SeasonKind::None {
        1
    } else {
        period
    };
    if spec.season != SeasonKind::None && (m < 2 || n < 2 * m) {
        return None;
    }
    let positive = y.iter().all(|v| *v > 0.0);
    if (spec.error == ErrorKind::Multiplicative || spec.season == SeasonKind::Multiplicative)
        && !positive
    {
        return None;
    }
    let k = n_params(&spec, m);
    if n < k + 2 {
        return None;
    }
    let init = initial_state(y, &spec, m)?;
    // Scale for the level and slope offsets the optimiser explores.
    let mean = y.iter().sum::<f64>() / n as f64;
    let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let scale = if sd > 0.0 { sd } else { mean.abs().max(1.0) };
    let has_trend = spec.trend != TrendKind::None;
    let has_season = spec.season != SeasonKind::None;
    let damped = spec.trend == TrendKind::Damped;

    // x = [α, b′, g′, φ, Δℓ₀, Δb₀]; unused entries are pinned by equal bounds.
    let decode = |x: &[f64], offsets: &[f64]| -> (Params, State) {
        let alpha = x[0];
        let params = Params {
            alpha,
            beta: if has_trend { x[1] * alpha } else { 0.0 },
            gamma: if has_season {
                x[2] * (1.0 - alpha)
            } else {
                0.0
            },
            phi: if damped { x[3] } else { 1.0 },
        };
        let mut st = init.clone();
        st.level += x[4] * scale;
        st.slope += x[5] * scale / 10.0;
        if !offsets.is_empty() {
            match spec.season {
                SeasonKind::Additive => {
                    for (s, o) in st.season.iter_mut().zip(offsets) {
                        *s += o * scale * 0.5;
                    }
                    let mean = st.season.iter().sum::<f64>() / m as f64;
                    st.season.iter_mut().for_each(|s| *s -= mean);
                }
                SeasonKind::Multiplicative => {
                    for (s, o) in st.season.iter_mut().zip(offsets) {
                        *s *= (0.5 * o).exp();
                    }
                    let mean = st.season.iter().sum::<f64>() / m as f64;
                    st.season.iter_mut().for_each(|s| *s /= mean);
                }
                SeasonKind::None => {}
            }
        }
        (params, st)
    };
    let pin = |on: bool, lo: f64, hi: f64, v: f64| if on { (lo, hi, v) } else { (v, v, v) };
    let dims = [
        (1e-4, 0.9999, if has_season { 0.1 } else { 0.3 }),
        pin(has_trend, 1e-4, 0.9999, 0.1),
        pin(has_season, 1e-4, 0.9999, 0.1),
        pin(damped, 0.8, 0.98, 0.95),
        (-3.0, 3.0, 0.0),
        pin(has_trend, -3.0, 3.0, 0.0),
    ];
    let lower: Vec<f64> = dims.iter().map(|d| d.0).collect();
    let upper: Vec<f64> = dims.iter().map(|d| d.1).collect();
    let x0: Vec<f64> = dims.iter().map(|d| d.2).collect();
    let steps: Vec<f64> = dims
        .iter()
        .map(|d| if d.1 > d.0 { 0.1 * (d.1 - d.0) } else { 0.0 })
        .collect();
    // Only the free dimensions go to the optimiser.
    let free: Vec<usize> = (0..dims.len()).filter(|&i| upper[i] > lower[i]).collect();
    let expand = |z: &[f64]| -> Vec<f64> {
        let mut x = x0.clone();
        for (j, &i) in free.iter().enumerate() {
            x[i] = z[j];
        }
        x
    };
    let nf = free.len();
    let mut scratch = init.clone();
    // z = the free entries of x, then (second run only) the seasonal offsets.
    let mut objective = |z: &[f64]| -> f64 {
        let x = expand(&z[..nf]);
        let (params, st) = decode(&x, &z[nf..]);
        scratch.clone_from(&st);
        match filter(y, &spec, m, &params, &mut scratch) {
            Some((sse, log_sum)) => neg2_log_lik(n, sse, log_sum),
            None => f64::INFINITY,
        }
    };
    let pick = |v: &[f64]| free.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let mut best = minimize(
        &mut objective,
        &pick(&x0),
        &pick(&steps),
        &pick(&lower),
        &pick(&upper),
        NelderMead {
            max_evals: 80 * (nf + 1),
            tol: 1e-5,
        },
    );
    if !best.f.is_finite() {
        return None;
    }
    if seasonal_states && has_season {
        let start: Vec<f64> = best.x.iter().copied().chain(vec![0.0; m]).collect();
        let step2: Vec<f64> = pick(&steps)
            .iter()
            .map(|s| 0.5 * s)
            .chain(vec![0.1; m])
            .collect();
        let lo: Vec<f64> = pick(&lower).into_iter().chain(vec![-1.0; m]).collect();
        let hi: Vec<f64> = pick(&upper).into_iter().chain(vec![1.0; m]).collect();
        let second = minimize(
            &mut objective,
            &start,
            &step2,
            &lo,
            &hi,
            NelderMead {
                max_evals: 60 * (nf + m + 1),
                tol: 1e-6,
            },
        );
        if second.f < best.f {
            best = second;
        }
    }
    let (params, mut state) = decode(&expand(&best.x[..nf]), &best.x[nf..]);
    // One more pass for the residuals behind the interval widths.
    let mut resid = Vec::with_capacity(n);
    let mut probe = state.clone();
    for (t, &v) in y.iter().enumerate() {
        let yhat = step(&spec, &params, &mut probe, t % m, v)?;
        resid.push(match spec.error {
            ErrorKind::Additive => v - yhat,
            ErrorKind::Multiplicative => (v - yhat) / yhat,
        });
    }
    let (sse, log_sum) = filter(y, &spec, m, &params, &mut state)?;
    let n2ll = neg2_log_lik(n, sse, log_sum);
    Some(EtsModel {
        spec,
        period: m,
        params,
        state,
        n,
        sigma2: robust_variance(&resid, k - 1),
        log_lik: -0.5 * n2ll,
        n_params: k,
        aicc: aicc(n2ll, n, k),
    })
}
