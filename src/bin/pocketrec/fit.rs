//! Fitting for the commands: the library's one fit pipeline, timed by the
//! wall clock.

use std::time::Instant;

use anyhow::Result;

use pocketrec::config::CheckedConfig;
use pocketrec::data::catalogue::Catalogue;
use pocketrec::data::interactions::Interactions;
use pocketrec::recommend::fit::{fit, FitPlan, Fitted};

/// Fits the plan's models (see [`pocketrec::recommend::fit`]).
pub fn fit_models(
    catalogue: Catalogue,
    log: Option<&Interactions>,
    config: &CheckedConfig,
    plan: &FitPlan,
) -> Result<Fitted> {
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    Ok(fit(catalogue, log, config, plan, &clock)?)
}
