//! `pocketrec`: the command-line face of the engine, for evaluation, batch
//! runs and docs. Its commands and output formats are a stable contract
//! (benchmarks and external scoring scripts depend on them).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod build;
mod eval;
mod fit;
mod forecast;
mod inputs;
mod query;
mod split;
mod tune;

#[derive(Parser)]
#[command(
    name = "pocketrec",
    version,
    about = "Recommendations that run on the shopper's device: content, item-based and hybrid"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Recommend for each user in a list; one JSON object per line.
    Recommend(query::RecommendArgs),
    /// Items similar to one item, as JSON.
    Similar(query::SimilarArgs),
    /// Items matching free text, as JSON.
    Search(query::SearchArgs),
    /// Split interactions, fit on the training part and score the rest.
    Eval(eval::EvalArgs),
    /// Write the train/test split that `eval` uses, as CSV files.
    Split(split::SplitArgs),
    /// Choose options on a validation split of the interactions (maximising
    /// NDCG@k on it, and holding within 2% on the other split kind); write
    /// the config.
    Tune(tune::TuneArgs),
    /// Fit the models a static shop serves, under the privacy rules, and
    /// write them as a model index folder; a JSON report on standard output.
    Build(build::BuildArgs),
    /// Forecast sales series with intervals; one JSON object per line and series
    /// (a series that cannot be forecast is named on stderr and gets a naive fallback).
    Forecast(forecast::ForecastArgs),
    /// Score forecasting models on train/test series (sMAPE, MASE, OWA, coverage, MSIS).
    ForecastEval(forecast::ForecastEvalArgs),
}

fn main() -> ExitCode {
    // A benchmark compares single-threaded fits: POCKETREC_THREADS=1.
    if let Some(n) = std::env::var("POCKETREC_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        pocketrec::parallel::set_threads(n);
    }
    let result = match Cli::parse().command {
        Command::Recommend(args) => query::recommend(args),
        Command::Similar(args) => query::similar(args),
        Command::Search(args) => query::search(args),
        Command::Eval(args) => eval::eval(args),
        Command::Split(args) => split::write_split(args),
        Command::Tune(args) => tune::tune_command(args),
        Command::Build(args) => build::build_command(args),
        Command::Forecast(args) => forecast::forecast_command(args),
        Command::ForecastEval(args) => forecast::forecast_eval_command(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`| head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
