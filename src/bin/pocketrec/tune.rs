//! `tune`: choose options on a validation split; write the config.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::ProgressBar;

use pocketrec::config::Config;
use pocketrec::data::catalogue::Catalogue;
use pocketrec::data::interactions::Interactions;
use pocketrec::evaluate::tune::{tune, TuneOptions, Tuned};

use crate::inputs::*;

#[derive(Args)]
pub struct TuneArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Interactions to tune on (a training set).
    #[arg(long)]
    pub interactions: PathBuf,
    /// Validation split whose NDCG@k is maximised: temporal (default:
    /// predicting each shopper's next items) or random. The chosen config
    /// must also stay within 2% of the base config's NDCG on a validation
    /// split of the other kind, or its stage choices are undone.
    #[arg(long, default_value = "temporal")]
    pub split: String,
    /// Share of each user's items held out for validation.
    #[arg(long, default_value_t = 0.2)]
    pub test_fraction: f64,
    /// Seed of a random validation split.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Cut-off of the NDCG maximised.
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Where to write the tuned config (JSON); standard output if absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print every candidate's score to standard error.
    #[arg(long)]
    pub verbose: bool,
}

pub fn run_tune(
    catalogue: &Catalogue,
    log: &Interactions,
    base: &Config,
    options: &TuneOptions,
    verbose: bool,
) -> Result<Tuned> {
    let spinner = if std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    let tuned = tune(catalogue, log, base, options, |stage| {
        spinner.set_message(stage.to_string())
    })?;
    spinner.finish_and_clear();
    if verbose {
        for trial in &tuned.trials {
            eprintln!("{:.4}  {}", trial.ndcg, trial.description);
        }
    }
    Ok(tuned)
}

pub fn tune_command(args: TuneArgs) -> Result<()> {
    let config = load_config(args.inputs.config.as_deref())?;
    let catalogue = load_catalogue(&args.inputs.catalog, &config)?;
    let log = load_interactions(&args.interactions, &catalogue, &config)?;
    let options = TuneOptions {
        split: args.split.parse()?,
        test_fraction: args.test_fraction,
        seed: args.seed,
        k: args.k,
    };
    let tuned = run_tune(&catalogue, &log, &config, &options, args.verbose)?;
    eprintln!("validation NDCG@{}: {:.4}", args.k, tuned.ndcg);
    let text = serde_json::to_string_pretty(&tuned.config)?;
    match &args.out {
        Some(p) => std::fs::write(p, text + "\n")
            .with_context(|| format!("could not write {}", p.display()))?,
        None => emit(&text)?,
    }
    Ok(())
}
