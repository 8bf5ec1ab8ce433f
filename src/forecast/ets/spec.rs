//! The model forms, their parameters and states, and the fitted model.

use std::fmt;

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
    /// [`robust_variance`](crate::forecast::intervals::robust_variance)).
    pub sigma2: f64,
    /// Log-likelihood.
    pub log_lik: f64,
    /// Number of estimated parameters k (including σ²).
    pub n_params: usize,
    /// Corrected Akaike information criterion.
    pub aicc: f64,
}
