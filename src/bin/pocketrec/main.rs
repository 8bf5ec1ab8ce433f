//! `pocketrec`: the command-line face of the engine, for evaluation, batch
//! runs and docs. Its commands and output formats are a stable contract
//! (benchmarks and external scoring scripts depend on them).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod build;
mod compare;
mod eval;
mod fit;
mod forecast;
mod inputs;
mod query;
mod segment;
mod split;
mod stock;
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
    /// A reorder plan for every product of an order log: ABC/XYZ classes, a
    /// lead-time forecast, safety stock, reorder point, stock-out risk and
    /// order quantity, most urgent first (JSON or CSV by the --out extension).
    Stock(stock::StockArgs),
    /// Group customers by recency, frequency and monetary value (k-means on
    /// an order log) and name each group; JSON to --out, a summary on stderr.
    Segment(segment::SegmentArgs),
}

fn main() -> ExitCode {
    // Under WASI (the npm package's `npx pocketrec`, src/bin/pocketrec in
    // wasm32-wasip1 run by node:wasi) the host maps its file system at `/`
    // and passes its working directory as PWD: start there, so relative
    // paths mean what they mean to the shell that ran the command.
    #[cfg(target_os = "wasi")]
    if let Ok(dir) = std::env::var("PWD") {
        let _ = std::env::set_current_dir(dir);
    }
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
        Command::Stock(args) => stock::stock_command(args),
        Command::Segment(args) => segment::segment_command(args),
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
            eprintln!("error: {}", without_os_error_numbers(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

/// `message` without the " (os error N)" that std appends to system
/// errors: N is the platform's errno (2 natively, 44 under WASI for a
/// missing file), which tells a user nothing the words before it do not,
/// and would make the npm package's tool word an error differently.
fn without_os_error_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" (os error ") {
        let tail = &rest[at + " (os error ".len()..];
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && tail[digits..].starts_with(')') {
            out.push_str(&rest[..at]);
            rest = &tail[digits + 1..];
        } else {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::without_os_error_numbers;

    #[test]
    fn os_error_numbers_are_dropped_and_other_text_kept() {
        assert_eq!(
            without_os_error_numbers(
                "could not read a.json: No such file or directory (os error 2)"
            ),
            "could not read a.json: No such file or directory"
        );
        assert_eq!(
            without_os_error_numbers("x (os error 44): y (os error z)"),
            "x: y (os error z)"
        );
    }
}
