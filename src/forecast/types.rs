//! The shared types of the forecaster: options, the model choice, the
//! result. Every model module uses these and none of them uses another
//! model's types, so the module graph has no cycles: `types` and `stats`
//! at the bottom, then `season`/`intervals`, then the models, then
//! `combo` and the entry point in `mod.rs`.

use serde::{Deserialize, Serialize, Serializer};

use super::arima::MAX_ORDER;
use super::stats::Criteria;
use crate::error::{Error, Result};

/// Longest horizon accepted.
pub const MAX_HORIZON: usize = 10_000;
/// Longest history accepted (values beyond it are an error, not truncated).
pub const MAX_VALUES: usize = 1_000_000;
/// Most interval levels in one request.
pub const MAX_LEVELS: usize = 16;
/// Most simulated paths.
pub const MAX_SIMULATIONS: usize = 100_000;
/// Shortest history for which `auto` fits models; shorter ones get the
/// naive forecast.
pub const MIN_FIT: usize = 6;

/// Which model to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelChoice {
    /// Intermittent series → TSB; too short (< [`MIN_FIT`]) → naive;
    /// otherwise the combination of ETS, Theta and ARIMA.
    #[default]
    Auto,
    /// ETS selected by AICc.
    Ets,
    /// The Theta method.
    Theta,
    /// ARIMA selected by AICc, or of the order in
    /// [`ForecastOptions::order`].
    Arima,
    /// Combination of ETS, Theta and ARIMA.
    Combo,
    /// Croston's method (α = 0.1).
    Croston,
    /// Croston with optimised smoothing and the Syntetos–Boylan correction.
    Sba,
    /// Teunter–Syntetos–Babai.
    Tsb,
    /// The last value.
    Naive,
    /// The value one season ago.
    Snaive,
    /// Naive on seasonally adjusted data (the M4 benchmark).
    Naive2,
}

impl ModelChoice {
    /// Every choice, in the order of the docs.
    pub const ALL: [ModelChoice; 11] = [
        ModelChoice::Auto,
        ModelChoice::Ets,
        ModelChoice::Theta,
        ModelChoice::Arima,
        ModelChoice::Combo,
        ModelChoice::Croston,
        ModelChoice::Sba,
        ModelChoice::Tsb,
        ModelChoice::Naive,
        ModelChoice::Snaive,
        ModelChoice::Naive2,
    ];

    /// The lowercase name used in options and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ModelChoice::Auto => "auto",
            ModelChoice::Ets => "ets",
            ModelChoice::Theta => "theta",
            ModelChoice::Arima => "arima",
            ModelChoice::Combo => "combo",
            ModelChoice::Croston => "croston",
            ModelChoice::Sba => "sba",
            ModelChoice::Tsb => "tsb",
            ModelChoice::Naive => "naive",
            ModelChoice::Snaive => "snaive",
            ModelChoice::Naive2 => "naive2",
        }
    }

    /// Parses a name as given by [`ModelChoice::name`].
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the accepted values.
    pub fn parse(name: &str) -> Result<ModelChoice> {
        ModelChoice::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = ModelChoice::ALL.iter().map(|m| m.name()).collect();
                Error::config(
                    "model",
                    format!(
                        "unknown model {name:?}; expected one of {}",
                        names.join(", ")
                    ),
                )
            })
    }
}

/// How the combination merges its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// Arithmetic mean of the points.
    Mean,
    /// Median of the points.
    #[default]
    Median,
}

/// Options of [`forecast`](super::forecast()). Every field has a default, so `{}` is a valid
/// JSON options object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ForecastOptions {
    /// Seasonal period (12 for monthly data with a yearly cycle, 52 for
    /// weekly, 7 for daily with a weekly cycle; 1 for none). Default `None`:
    /// detected by an autocorrelation test ([`super::season::detect_period`]).
    pub season_length: Option<usize>,
    /// Interval levels in percent, each in (0, 100). Default `[80, 95]`.
    /// An empty list gives point forecasts only.
    pub levels: Vec<f64>,
    /// Model to use. Default `auto`.
    pub model: ModelChoice,
    /// How the combination merges the point forecasts of ETS, Theta and
    /// ARIMA. Default `median` (more robust to one member going astray).
    pub combine: Combine,
    /// Whether the data are non-negative (sales): forecasts and interval
    /// bounds are then clamped at 0, and a negative value is an error.
    /// Default `None`: true when no value is negative.
    pub non_negative: Option<bool>,
    /// Seed of the generator used for simulated intervals. Default 42.
    pub seed: u64,
    /// Sample paths for simulated intervals, 100–100 000. Default 1000.
    pub simulations: usize,
    /// ARIMA order (p, d, q) for `model: arima`, instead of choosing one
    /// by AICc: p, q in 0..=5, d in 0..=2. Seasonal series are adjusted
    /// first as for `auto` (there are no seasonal ARIMA terms). Default
    /// `None` (chosen). Only with `model: arima`.
    pub order: Option<[usize; 3]>,
}

impl Default for ForecastOptions {
    fn default() -> Self {
        ForecastOptions {
            season_length: None,
            levels: vec![80.0, 95.0],
            model: ModelChoice::Auto,
            combine: Combine::Median,
            non_negative: None,
            seed: 42,
            simulations: 1000,
            order: None,
        }
    }
}

impl ForecastOptions {
    /// Parses and validates a JSON options object (camelCase keys; unknown
    /// keys are errors).
    ///
    /// # Errors
    /// [`Error::Json`] for malformed JSON or unknown keys,
    /// [`Error::InvalidConfig`] for values out of range.
    pub fn from_json(text: &str) -> Result<ForecastOptions> {
        let options: ForecastOptions =
            serde_json::from_str(text).map_err(|e| Error::json("forecast options", &e))?;
        options.validate()?;
        Ok(options)
    }

    /// Checks every option against its documented range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        if self.season_length == Some(0) {
            return Err(Error::config(
                "seasonLength",
                "must be ≥ 1 (1 for no season), got 0",
            ));
        }
        if self.levels.len() > MAX_LEVELS {
            return Err(Error::config(
                "levels",
                format!("at most {MAX_LEVELS} levels, got {}", self.levels.len()),
            ));
        }
        for &level in &self.levels {
            if !(level.is_finite() && level > 0.0 && level < 100.0) {
                return Err(Error::config(
                    "levels",
                    format!("each level must be a percentage in (0, 100), got {level}"),
                ));
            }
        }
        if !(100..=MAX_SIMULATIONS).contains(&self.simulations) {
            return Err(Error::config(
                "simulations",
                format!(
                    "must be in 100..={MAX_SIMULATIONS}, got {}",
                    self.simulations
                ),
            ));
        }
        if let Some([p, d, q]) = self.order {
            if self.model != ModelChoice::Arima {
                return Err(Error::config(
                    "order",
                    format!(
                        "applies only to model arima, got model {}",
                        self.model.name()
                    ),
                ));
            }
            if p > MAX_ORDER || q > MAX_ORDER || d > 2 {
                return Err(Error::config(
                    "order",
                    format!(
                        "(p, d, q) must have p and q in 0..={MAX_ORDER} and d in 0..=2, got ({p}, {d}, {q})"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A prediction interval at one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Nominal coverage in percent. Serialised as an integer when it is
    /// one (`95`, not `95.0`), as the CLI's JSON lines have always had it.
    #[serde(serialize_with = "level_number")]
    pub level: f64,
    /// Lower bound per step.
    pub lower: Vec<f64>,
    /// Upper bound per step.
    pub upper: Vec<f64>,
}

/// The result of [`forecast`](super::forecast()).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forecast {
    /// Point forecasts for steps 1..=horizon.
    pub point: Vec<f64>,
    /// One interval per requested level, in the order requested. Wider
    /// levels contain narrower ones; bounds are ≥ 0 for non-negative data.
    pub intervals: Vec<Interval>,
    /// The model that produced the forecast, e.g. `ETS(M,Ad,N)`, `Theta`,
    /// `ARIMA(1,1,1) with drift`, `Combo(ETS(A,N,N), Theta, ARIMA(0,1,1))`.
    pub model: String,
    /// Seasonal period used (1 when the forecast has no season).
    pub season_length: usize,
    /// The fit's log-likelihood and information criteria, for the models
    /// that have one likelihood: `ets` and `arima` (not the combination,
    /// Theta or the simple methods). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<Criteria>,
}

/// Writes a whole level as an integer (`95`), any other as a float (`99.5`).
fn level_number<S: Serializer>(level: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    if level.fract() == 0.0 && level.abs() < 1e9 {
        s.serialize_i64(*level as i64)
    } else {
        s.serialize_f64(*level)
    }
}
