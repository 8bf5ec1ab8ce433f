//! Model selection by AICc over the admissible forms.

use super::fit::{fit, fit_with};
use super::spec::{ErrorKind, EtsModel, EtsSpec, SeasonKind, TrendKind};

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
