//! Exponential smoothing state-space models (ETS), fitted by maximum
//! likelihood and selected by AICc.
//!
//! Notation of Hyndman, Koehler, Ord & Snyder, *Forecasting with Exponential
//! Smoothing* (2008), ch. 2. With level ℓ, slope b, seasonal states s and
//! q_t = ℓ_{t−1} + φ b_{t−1} (φ = 1 for an undamped trend, q = ℓ without a
//! trend), the one-step forecast is
//!
//! ```text
//! ŷ_t = q_t            (season N)
//! ŷ_t = q_t + s_{t−m}  (season A)
//! ŷ_t = q_t · s_{t−m}  (season M)
//! ```
//!
//! and with the seasonally adjusted observation p_t = y_t (N), y_t − s_{t−m}
//! (A) or y_t / s_{t−m} (M) the states move by
//!
//! ```text
//! ℓ_t = q_t + α (p_t − q_t)
//! b_t = φ b_{t−1} + β (p_t − q_t)
//! s_t = s_{t−m} + γ (y_t − q_t − s_{t−m})   (A)
//! s_t = s_{t−m} + γ (y_t / q_t − s_{t−m})   (M)
//! ```
//!
//! These updates are the same for additive and multiplicative errors (the
//! error form ε_t = y_t − ŷ_t or (y_t − ŷ_t)/ŷ_t only changes the likelihood
//! and the simulated paths). The concentrated Gaussian likelihood gives
//!
//! ```text
//! −2 log L = n ln(Σ ε_t² / n) + n (1 + ln 2π) [+ 2 Σ ln |ŷ_t|  for multiplicative errors]
//! AICc = −2 log L + 2k + 2k(k + 1)/(n − k − 1)
//! ```
//!
//! where k counts the smoothing parameters, the initial states (ℓ₀, b₀ and
//! m − 1 seasonal states) and σ², as in R's `forecast::ets`.
//!
//! Parameter space ("usual" bounds of forecast::ets): α ∈ [1e−4, 0.9999],
//! β ∈ [1e−4·α, α], γ ∈ [1e−4·(1−α), 1 − α], φ ∈ [0.8, 0.98]. The optimiser
//! works in a unit box that maps onto exactly this region (β = b′α,
//! γ = g′(1 − α)). ℓ₀ and b₀ are optimised too; the seasonal states start
//! from a classical decomposition of the first three seasons. Model
//! selection keeps them there (optimising m more parameters for each of 15
//! forms would cost most of the speed budget); [`auto`] then refits the
//! selected form with the seasonal states optimised as well ([`refine`]).

use std::fmt;

use super::intervals::{normal_intervals, robust_variance, simulated_intervals, NormalSampler};
use super::optim::{minimize, NelderMead};
use super::season::{additive_indices, multiplicative_indices};
use super::Interval;

/// The error component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// ε_t = y_t − ŷ_t.
    Additive,
    /// ε_t = (y_t − ŷ_t) / ŷ_t (needs positive data).
    Multiplicative,
}

/// The trend component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendKind {
    /// No slope.
    None,
    /// Additive slope (Holt).
    Additive,
    /// Additive slope damped by φ < 1.
    Damped,
}

/// The seasonal component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeasonKind {
    /// No season.
    None,
    /// Seasonal states added to the level.
    Additive,
    /// Seasonal states multiplying the level (needs positive data).
    Multiplicative,
}

/// One ETS model form, e.g. ETS(M,Ad,M).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EtsSpec {
    /// Error component.
    pub error: ErrorKind,
    /// Trend component.
    pub trend: TrendKind,
    /// Seasonal component.
    pub season: SeasonKind,
}

impl fmt::Display for EtsSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = match self.error {
            ErrorKind::Additive => "A",
            ErrorKind::Multiplicative => "M",
        };
        let t = match self.trend {
            TrendKind::None => "N",
            TrendKind::Additive => "A",
            TrendKind::Damped => "Ad",
        };
        let s = match self.season {
            SeasonKind::None => "N",
            SeasonKind::Additive => "A",
            SeasonKind::Multiplicative => "M",
        };
        write!(f, "ETS({e},{t},{s})")
    }
}

/// Smoothing parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Level smoothing α.
    pub alpha: f64,
    /// Slope smoothing β (0 without a trend).
    pub beta: f64,
    /// Seasonal smoothing γ (0 without a season).
    pub gamma: f64,
    /// Damping φ (1 unless the trend is damped).
    pub phi: f64,
}

/// Level, slope and seasonal states; `season[t % m]` is the state used at
/// time t (counted from the first observation).
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Level ℓ.
    pub level: f64,
    /// Slope b.
    pub slope: f64,
    /// Seasonal states, one per phase.
    pub season: Vec<f64>,
}

/// A fitted ETS model.
#[derive(Debug, Clone)]
pub struct EtsModel {
    /// Model form.
    pub spec: EtsSpec,
    /// Seasonal period used (1 without a season).
    pub period: usize,
    /// Estimated smoothing parameters.
    pub params: Params,
    /// States after the last observation.
    pub state: State,
    /// Number of observations fitted.
    pub n: usize,
    /// Innovation variance: Σε²/(n − k + 1) with outlying ε capped (see
    /// [`robust_variance`]).
    pub sigma2: f64,
    /// Log-likelihood.
    pub log_lik: f64,
    /// Number of estimated parameters k (including σ²).
    pub n_params: usize,
    /// Corrected Akaike information criterion.
    pub aicc: f64,
}

/// Runs one observation through the state equations; returns ŷ_t, or
/// `None` when a multiplicative component would need a non-positive value.
#[inline(always)]
fn step(spec: &EtsSpec, p: &Params, st: &mut State, phase: usize, y: f64) -> Option<f64> {
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
fn one_step(spec: &EtsSpec, p: &Params, st: &State, phase: usize) -> f64 {
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
fn filter(y: &[f64], spec: &EtsSpec, m: usize, p: &Params, st: &mut State) -> Option<(f64, f64)> {
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
fn neg2_log_lik(n: usize, sse: f64, log_sum: f64) -> f64 {
    let nf = n as f64;
    // A perfect fit has SSE 0: floor it so that the criterion stays finite
    // (and very good) instead of −∞.
    let sse = sse.max(1e-300);
    nf * (sse / nf).ln() + nf * (1.0 + (2.0 * std::f64::consts::PI).ln()) + 2.0 * log_sum
}

/// AICc = −2 log L + 2k + 2k(k + 1)/(n − k − 1); +∞ when n ≤ k + 1.
pub fn aicc(neg2_log_lik: f64, n: usize, k: usize) -> f64 {
    if n <= k + 1 {
        return f64::INFINITY;
    }
    let (nf, kf) = (n as f64, k as f64);
    neg2_log_lik + 2.0 * kf + 2.0 * kf * (kf + 1.0) / (nf - kf - 1.0)
}

/// Heuristic initial states (Hyndman et al. 2008, §2.6.1): seasonal indices
/// from a classical decomposition of the first (up to) three seasons; level
/// and slope from a least-squares line through the first max(10, 2m)
/// seasonally adjusted values.
fn initial_state(y: &[f64], spec: &EtsSpec, m: usize) -> Option<State> {
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
        let (a, b) = super::theta::least_squares_line(&adjusted, 1.0);
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

/// Fits one model form by maximum likelihood. Returns `None` when the form
/// does not apply (multiplicative components with non-positive data, too
/// few observations for its parameters, or no admissible parameters found).
pub fn fit(y: &[f64], spec: EtsSpec, period: usize) -> Option<EtsModel> {
    fit_with(y, spec, period, false)
}

/// [`fit`], optionally also optimising the m initial seasonal states (in a
/// second Nelder–Mead run started from the first one's optimum, with the
/// states renormalised to sum 0 / mean 1 on every trial). Several times
/// slower, so [`auto`] selects with heuristic states and refits only the
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

/// Fits every admissible form and keeps the one with the smallest AICc, as
/// `forecast::ets` / statsforecast's AutoETS do with their defaults: errors
/// A and M, trends N, A and Ad, seasons N, A and M; multiplicative forms
/// only for positive data; additive errors never with multiplicative
/// seasons (numerically unstable); seasonal forms only when `2 ≤ period ≤
/// 24` and the series covers at least two seasons (longer periods fall back
/// to non-seasonal forms, as in forecast::ets). A seasonal winner is then
/// refitted with its initial seasonal states optimised ([`refine`]).
pub fn auto(y: &[f64], period: usize) -> Option<EtsModel> {
    let best = auto_with(
        y,
        period,
        &[TrendKind::None, TrendKind::Additive, TrendKind::Damped],
    )?;
    Some(refine(y, best))
}

/// Refits a seasonal model with its initial seasonal states optimised too
/// ([`fit_with`]); keeps the original when that does not raise the
/// likelihood. Non-seasonal models come back unchanged.
pub fn refine(y: &[f64], model: EtsModel) -> EtsModel {
    if model.spec.season == SeasonKind::None {
        return model;
    }
    match fit_with(y, model.spec, model.period, true) {
        Some(refined) if refined.log_lik >= model.log_lik => refined,
        _ => model,
    }
}

/// [`auto`] over a chosen set of trend forms (the combination forecast uses
/// only N and Ad: an undamped slope extrapolated over a year or more is the
/// most common way for ETS to go badly wrong on sales data).
pub fn auto_with(y: &[f64], period: usize, trends: &[TrendKind]) -> Option<EtsModel> {
    let positive = y.iter().all(|v| *v > 0.0);
    let seasonal = (2..=24).contains(&period) && y.len() >= 2 * period;
    let errors: &[ErrorKind] = if positive {
        &[ErrorKind::Additive, ErrorKind::Multiplicative]
    } else {
        &[ErrorKind::Additive]
    };
    let mut seasons = vec![SeasonKind::None];
    if seasonal {
        seasons.push(SeasonKind::Additive);
        if positive {
            seasons.push(SeasonKind::Multiplicative);
        }
    }
    let mut best: Option<EtsModel> = None;
    for &error in errors {
        for &trend in trends {
            for &season in &seasons {
                if error == ErrorKind::Additive && season == SeasonKind::Multiplicative {
                    continue;
                }
                let spec = EtsSpec {
                    error,
                    trend,
                    season,
                };
                if let Some(model) = fit(y, spec, period) {
                    if best.as_ref().is_none_or(|b| model.aicc < b.aicc) {
                        best = Some(model);
                    }
                }
            }
        }
    }
    best
}

impl EtsModel {
    /// Point forecasts for steps 1..=h:
    /// ŷ_{n+h} = (ℓ_n + φ_h b_n) [+ or ·] s_{n+h−m(⌊(h−1)/m⌋+1)},
    /// with φ_h = φ + φ² + … + φ^h (h for an undamped trend).
    pub fn point(&self, horizon: usize) -> Vec<f64> {
        let mut phi_h = 0.0;
        let mut phi_pow = 1.0;
        (0..horizon)
            .map(|h| {
                phi_pow *= self.params.phi;
                phi_h += phi_pow;
                let q = match self.spec.trend {
                    TrendKind::None => self.state.level,
                    _ => self.state.level + phi_h * self.state.slope,
                };
                let phase = (self.n + h) % self.period;
                match self.spec.season {
                    SeasonKind::None => q,
                    SeasonKind::Additive => q + self.state.season[phase],
                    SeasonKind::Multiplicative => q * self.state.season[phase],
                }
            })
            .collect()
    }

    /// Whether the analytic (class 1) variance applies: additive error and
    /// no multiplicative season (Hyndman et al. 2008, §6.3).
    pub fn analytic_intervals(&self) -> bool {
        self.spec.error == ErrorKind::Additive && self.spec.season != SeasonKind::Multiplicative
    }

    /// Point forecasts and intervals at `levels` (percent).
    ///
    /// Class 1 models use the exact variance
    /// v_h = σ² [1 + Σ_{j=1}^{h−1} c_j²], c_j = α + β φ_j + γ·[j mod m = 0]
    /// (φ_j = φ + … + φ^j). The others simulate `sims` sample paths through
    /// the state equations with ε ~ N(0, σ²) from a generator seeded by
    /// `seed`, and take empirical quantiles.
    pub fn forecast(
        &self,
        horizon: usize,
        levels: &[f64],
        seed: u64,
        sims: usize,
    ) -> (Vec<f64>, Vec<Interval>) {
        let point = self.point(horizon);
        if levels.is_empty() {
            return (point, Vec::new());
        }
        if self.analytic_intervals() {
            let p = &self.params;
            let mut acc = 0.0;
            let mut phi_j = 0.0;
            let mut phi_pow = 1.0;
            let sd: Vec<f64> = (0..horizon)
                .map(|h| {
                    // h is the step minus one: add c_h² for j = h ≥ 1.
                    if h >= 1 {
                        phi_pow *= p.phi;
                        phi_j += phi_pow;
                        let trend = match self.spec.trend {
                            TrendKind::None => 0.0,
                            _ => p.beta * phi_j,
                        };
                        let season = if self.spec.season != SeasonKind::None && h % self.period == 0
                        {
                            p.gamma
                        } else {
                            0.0
                        };
                        let c = p.alpha + trend + season;
                        acc += c * c;
                    }
                    (self.sigma2 * (1.0 + acc)).sqrt()
                })
                .collect();
            return (point.clone(), normal_intervals(&point, &sd, levels));
        }
        let paths = self.simulate(horizon, seed, sims);
        (point, simulated_intervals(&paths, horizon, levels))
    }

    /// `count` future sample paths of length `horizon`.
    pub fn simulate(&self, horizon: usize, seed: u64, count: usize) -> Vec<Vec<f64>> {
        let mut rng = NormalSampler::new(seed);
        let sigma = self.sigma2.sqrt();
        let m = self.period;
        let mut st = self.state.clone();
        (0..count)
            .map(|_| {
                st.clone_from(&self.state);
                let mut path = Vec::with_capacity(horizon);
                for h in 0..horizon {
                    let phase = (self.n + h) % m;
                    let yhat = one_step(&self.spec, &self.params, &st, phase);
                    let eps = sigma * rng.sample();
                    let y = match self.spec.error {
                        ErrorKind::Additive => yhat + eps,
                        ErrorKind::Multiplicative => yhat * (1.0 + eps),
                    };
                    if step(&self.spec, &self.params, &mut st, phase, y).is_none() {
                        path.push(f64::NAN);
                        continue;
                    }
                    path.push(y);
                }
                path
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(error: ErrorKind, trend: TrendKind, season: SeasonKind) -> EtsSpec {
        EtsSpec {
            error,
            trend,
            season,
        }
    }

    #[test]
    fn ses_follows_the_hand_computed_recursion() {
        // ℓ₀ = 10, α = 0.5, y = 12, 9, 11:
        // ŷ₁ = 10, ℓ₁ = 10 + 0.5·2 = 11; ŷ₂ = 11, ℓ₂ = 11 − 1 = 10;
        // ŷ₃ = 10, ℓ₃ = 10 + 0.5 = 10.5. SSE = 4 + 4 + 1 = 9.
        let s = spec(ErrorKind::Additive, TrendKind::None, SeasonKind::None);
        let p = Params {
            alpha: 0.5,
            beta: 0.0,
            gamma: 0.0,
            phi: 1.0,
        };
        let mut st = State {
            level: 10.0,
            slope: 0.0,
            season: vec![0.0],
        };
        let (sse, _) = filter(&[12.0, 9.0, 11.0], &s, 1, &p, &mut st).unwrap();
        assert_eq!(sse, 9.0);
        assert_eq!(st.level, 10.5);
    }

    #[test]
    fn aicc_matches_a_worked_value() {
        // n = 10, SSE = 20 → −2logL = 10 ln 2 + 10 (1 + ln 2π) = 35.3102…;
        // k = 3: AICc = 35.3102 + 6 + 2·3·4/6 = 45.3102.
        let n2ll = neg2_log_lik(10, 20.0, 0.0);
        let expected = 10.0 * 2f64.ln() + 10.0 * (1.0 + (2.0 * std::f64::consts::PI).ln());
        assert!((n2ll - expected).abs() < 1e-12);
        assert!((n2ll - 35.310_242_5).abs() < 1e-6, "{n2ll}");
        assert!((aicc(n2ll, 10, 3) - 45.310_242_5).abs() < 1e-6);
        assert_eq!(aicc(n2ll, 4, 3), f64::INFINITY);
    }

    #[test]
    fn holt_extrapolates_a_straight_line() {
        let y: Vec<f64> = (0..30).map(|t| 5.0 + 2.0 * t as f64).collect();
        let m = fit(
            &y,
            spec(ErrorKind::Additive, TrendKind::Additive, SeasonKind::None),
            1,
        )
        .unwrap();
        for (h, f) in m.point(5).iter().enumerate() {
            let want = 5.0 + 2.0 * (30 + h) as f64;
            assert!((f - want).abs() < 1e-6, "h={h}: {f} vs {want}");
        }
    }

    #[test]
    fn a_constant_series_gives_a_flat_forecast() {
        let y = vec![7.0; 24];
        let m = auto(&y, 1).unwrap();
        for f in m.point(6) {
            assert!((f - 7.0).abs() < 1e-9, "{f}");
        }
    }

    #[test]
    fn a_purely_seasonal_series_repeats_its_pattern() {
        let pattern = [10.0, 14.0, 8.0, 12.0];
        let y: Vec<f64> = (0..40).map(|t| pattern[t % 4]).collect();
        let m = fit(
            &y,
            spec(ErrorKind::Additive, TrendKind::None, SeasonKind::Additive),
            4,
        )
        .unwrap();
        for (h, f) in m.point(8).iter().enumerate() {
            assert!((f - pattern[(40 + h) % 4]).abs() < 1e-6, "{h}: {f}");
        }
    }

    #[test]
    fn class_one_variance_grows_as_the_formula() {
        let m = EtsModel {
            spec: spec(ErrorKind::Additive, TrendKind::None, SeasonKind::None),
            period: 1,
            params: Params {
                alpha: 0.5,
                beta: 0.0,
                gamma: 0.0,
                phi: 1.0,
            },
            state: State {
                level: 10.0,
                slope: 0.0,
                season: vec![0.0],
            },
            n: 10,
            sigma2: 4.0,
            log_lik: 0.0,
            n_params: 3,
            aicc: 0.0,
        };
        // v₃ = 4 (1 + 2·0.25) = 6.
        let (_, iv) = m.forecast(3, &[95.0], 1, 0);
        let half = iv[0].upper[2] - 10.0;
        assert!((half - 1.959_964 * 6f64.sqrt()).abs() < 1e-5);
    }
}
