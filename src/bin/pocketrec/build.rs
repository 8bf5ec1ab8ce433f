//! `build`: fit the models a static shop serves under the privacy rules,
//! and write them as a model index folder (see `pocketrec::index`).
//!
//! Contract (scripts depend on it): the flags below; the index folder;
//! one JSON report on standard output (counts, what the privacy rules
//! suppressed, sizes with and without gzip, seconds per step); progress
//! and warnings on standard error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::ProgressBar;
use serde_json::json;

use pocketrec::config::{CheckedConfig, Config};
use pocketrec::data::interactions::Interactions;
use pocketrec::evaluate::tune::TuneOptions;
use pocketrec::evaluate::SplitKind;
use pocketrec::index::{build, BuildOptions, BuiltIndex, Manifest, MANIFEST};

use crate::inputs::*;
use crate::tune::run_tune;

#[derive(Args)]
pub struct BuildArgs {
    /// Catalogue JSON, or a MovieLens folder (or its movies.csv).
    #[arg(long)]
    pub catalog: PathBuf,
    /// Interaction log (CSV with a header, or JSON). Never copied into the
    /// index: only item-level aggregates are.
    #[arg(long)]
    pub interactions: Option<PathBuf>,
    /// Config JSON (model options, `privacy` rules). Without one the
    /// options are tuned on the log first, unless --no-tune.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The index folder to write. An existing folder is replaced only when
    /// it holds a pocketrec index and nothing else.
    #[arg(long)]
    pub out: PathBuf,
    /// Keep the default options instead of tuning them.
    #[arg(long)]
    pub no_tune: bool,
    /// Tune on at most this many shoppers (a seeded sample) of a larger log.
    #[arg(long, default_value_t = 20_000)]
    pub tune_shoppers: usize,
    /// Items per items and content-links shard (a page fetches the items
    /// shards of what it shows, the content links of what its query starts
    /// from).
    #[arg(long, default_value_t = 100)]
    pub shard_items: u32,
    /// Items per shard of the item-kNN and sequential lists, and ids per
    /// bucket of the id directory (a page fetches only the shards of the
    /// items its query starts from).
    #[arg(long, default_value_t = 500)]
    pub shard_links: u32,
    /// Content neighbours kept per item (0: none; the content vectors then
    /// rank, and a page fetches them whole).
    #[arg(long, default_value_t = 20)]
    pub content_links: u32,
    /// Seed of the differential-privacy noise (with `privacy.epsilon`).
    /// Keep it secret; it is never written. Default: drawn from the system.
    #[arg(long)]
    pub noise_seed: Option<u64>,
}

pub fn build_command(args: BuildArgs) -> Result<()> {
    let total = Instant::now();
    check_out(&args.out)?;
    let given = load_config(args.config.as_deref())?;
    let catalogue = load_catalogue(&args.catalog, &given)?;
    let log = args
        .interactions
        .as_deref()
        .map(|p| load_interactions(p, &catalogue, &given))
        .transpose()?;
    let spinner = spinner();
    let tune_start = Instant::now();
    let config = match &log {
        Some(log) if args.config.is_none() && !args.no_tune && !log.is_empty() => {
            spinner.set_message("tuning the options on the log");
            tuned(&catalogue, log, &given, args.tune_shoppers)?
        }
        _ => given,
    };
    let tune_seconds = tune_start.elapsed().as_secs_f64();
    if config.privacy.min_support == 1 {
        eprintln!("warning: privacy.minSupport is 1: a pair of items one shopper alone combined can be published");
    }
    let noise_seed = match args.noise_seed {
        Some(seed) => seed,
        None => secret_seed()?,
    };
    let options = BuildOptions {
        shard_items: args.shard_items,
        shard_links: args.shard_links,
        content_links: args.content_links,
        noise_seed,
        ..BuildOptions::default()
    };
    spinner.set_message("fitting the models under the privacy rules");
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    let built = build(catalogue, log.as_ref(), &config, &options, &clock)?;
    let fit_seconds = start.elapsed().as_secs_f64();
    spinner.finish_and_clear();
    let write_start = Instant::now();
    write_index(&args.out, &built)?;
    let write_seconds = write_start.elapsed().as_secs_f64();
    let report = report(
        &args.out,
        &built,
        [
            tune_seconds,
            fit_seconds,
            write_seconds,
            total.elapsed().as_secs_f64(),
        ],
    )?;
    emit(&serde_json::to_string_pretty(&report)?)
}

fn spinner() -> ProgressBar {
    if std::io::stderr().is_terminal() {
        let s = ProgressBar::new_spinner();
        // The ticker is a thread; WASI (the npm package's tool) has none, so
        // there the spinner moves when its message changes.
        if cfg!(not(target_os = "wasi")) {
            s.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        s
    } else {
        ProgressBar::hidden()
    }
}

/// The options tuned on the log (as `tune` does: a temporal validation
/// split when every row has a time, else a random one), on a seeded
/// sample of `max_shoppers` shoppers when the log has more.
fn tuned(
    catalogue: &pocketrec::data::catalogue::Catalogue,
    log: &Interactions,
    base: &Config,
    max_shoppers: usize,
) -> Result<CheckedConfig> {
    let sample = sample_shoppers(log, max_shoppers, 7);
    let log = sample.as_ref().unwrap_or(log);
    let options = TuneOptions {
        split: if log.has_timestamps() {
            SplitKind::Temporal
        } else {
            SplitKind::Random
        },
        test_fraction: 0.2,
        seed: 7,
        k: 10,
    };
    let start = Instant::now();
    let tuned = run_tune(catalogue, log, base, &options, false)?;
    eprintln!(
        "tuned on {} shoppers ({} rows, {} validation split) in {:.1} s: validation NDCG@10 {:.4}",
        log.user_count(),
        log.len(),
        if options.split == SplitKind::Temporal {
            "temporal"
        } else {
            "random"
        },
        start.elapsed().as_secs_f64(),
        tuned.ndcg
    );
    Ok(tuned.config.check()?)
}

/// The rows of a seeded random sample of `max` shoppers, or `None` when
/// the log has no more than that.
fn sample_shoppers(log: &Interactions, max: usize, seed: u64) -> Option<Interactions> {
    let n = log.user_count();
    if n <= max {
        return None;
    }
    let mut users: Vec<u32> = (0..n as u32).collect();
    fastrand::Rng::with_seed(seed).shuffle(&mut users);
    let mut keep = vec![false; n];
    for &u in &users[..max] {
        keep[u as usize] = true;
    }
    let rows: Vec<usize> = (0..log.len())
        .filter(|&r| keep[log.row(r).0 as usize])
        .collect();
    Some(log.select(&rows))
}

/// A seed for the noise from the operating system.
fn secret_seed() -> Result<u64> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no system randomness for the noise seed: {e}"))?;
    Ok(u64::from_le_bytes(bytes))
}

/// A shard file name as `build` writes them: `<kind>-<16 hex>.bin`.
fn is_shard_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".bin") else {
        return false;
    };
    stem.rsplit_once('-').is_some_and(|(kind, hash)| {
        !kind.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Refuses an output that is not a folder we may replace: anything but a
/// missing or empty folder, or one holding a pocketrec index and nothing else.
fn check_out(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!(
            "--out {} exists and is not a folder; refusing to overwrite it",
            out.display()
        );
    }
    let mut has_manifest = false;
    for entry in
        std::fs::read_dir(out).with_context(|| format!("could not read {}", out.display()))?
    {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if name == MANIFEST {
            has_manifest = true;
        } else if !is_shard_name(&name) {
            bail!(
                "--out {} holds {name:?}, which is not part of a pocketrec index; refusing to replace the folder (choose another --out, or empty it)",
                out.display()
            );
        }
    }
    if has_manifest {
        let text = read(&out.join(MANIFEST), "manifest")?;
        let value: serde_json::Value = serde_json::from_slice(&text).unwrap_or_default();
        if value.get("format").and_then(|f| f.as_str()) != Some("pocketrec-index") {
            bail!(
                "--out {}: its {MANIFEST} is not a pocketrec index manifest; refusing to replace the folder",
                out.display()
            );
        }
    }
    Ok(())
}

/// Writes the files into a fresh folder beside `out`, then swaps it into
/// place, so an interrupted build never leaves half an index at `out`.
fn write_index(out: &Path, built: &BuiltIndex) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .with_context(|| format!("--out {} has no folder name", out.display()))?
        .to_string_lossy()
        .to_string();
    let pid = run_id();
    let staging = parent.join(format!(".{name}.building-{pid}"));
    let result = (|| -> Result<()> {
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("could not create {}", staging.display()))?;
        let bar = progress_bar(built.files.len(), "writing");
        for (file, bytes) in &built.files {
            let path = staging.join(file);
            let mut f = std::fs::File::create(&path)
                .with_context(|| format!("could not create {}", path.display()))?;
            f.write_all(bytes)
                .and_then(|()| f.sync_all())
                .with_context(|| format!("could not write {}", path.display()))?;
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        let old = parent.join(format!(".{name}.old-{pid}"));
        std::fs::rename(out, &old)
            .with_context(|| format!("could not move the old index {} aside", out.display()))?;
        std::fs::rename(&staging, out)
            .with_context(|| format!("could not move the new index into {}", out.display()))?;
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("could not remove the old index at {}", old.display()))?;
    } else {
        std::fs::rename(&staging, out)
            .with_context(|| format!("could not move the new index into {}", out.display()))?;
    }
    Ok(())
}

/// A number no other build running beside this one uses, for its staging
/// folder's name: the process id, or under WASI (which has no process ids) a
/// random one.
fn run_id() -> u64 {
    #[cfg(target_os = "wasi")]
    {
        let mut bytes = [0; 8];
        getrandom::fill(&mut bytes).map_or(0, |()| u64::from_le_bytes(bytes))
    }
    #[cfg(not(target_os = "wasi"))]
    u64::from(std::process::id())
}

fn gzip_size(bytes: &[u8]) -> Result<usize> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    Ok(gz.finish()?.len())
}

fn report(out: &Path, built: &BuiltIndex, seconds: [f64; 4]) -> Result<serde_json::Value> {
    let m: &Manifest = &built.manifest;
    let mut by_kind = serde_json::Map::new();
    let (mut bytes, mut gzip) = (0, 0);
    for (file, data) in &built.files {
        let gz = gzip_size(data)?;
        let kind = match m.shards.iter().find(|s| &s.file == file) {
            Some(s) => s.kind.name(),
            None => "manifest",
        };
        let entry = by_kind
            .entry(kind)
            .or_insert_with(|| json!({"files": 0, "bytes": 0, "gzipBytes": 0}));
        entry["files"] = json!(entry["files"].as_u64().unwrap_or(0) + 1);
        entry["bytes"] = json!(entry["bytes"].as_u64().unwrap_or(0) + data.len() as u64);
        entry["gzipBytes"] = json!(entry["gzipBytes"].as_u64().unwrap_or(0) + gz as u64);
        bytes += data.len();
        gzip += gz;
    }
    let privacy = &m.config.privacy;
    Ok(json!({
        "out": out.display().to_string(),
        "format": m.format,
        "version": m.version,
        "items": m.items,
        "models": m.models.iter().map(|k| k.name()).collect::<Vec<_>>(),
        "counts": m.counts,
        "privacy": {
            "minSupport": privacy.min_support,
            "maxItemsPerShopper": privacy.max_items_per_shopper,
            "epsilon": privacy.epsilon,
            "delta": privacy.delta,
        },
        "suppressed": m.suppressed,
        "files": built.files.len(),
        "bytes": bytes,
        "gzipBytes": gzip,
        "byKind": by_kind,
        "seconds": {
            "tune": seconds[0],
            "fit": seconds[1],
            "aggregate": built.report.aggregate,
            "models": built.report.models.iter().map(|(m, s)| (m.name().to_string(), json!(s))).collect::<serde_json::Map<_, _>>(),
            "write": seconds[2],
            "total": seconds[3],
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_names() {
        assert!(is_shard_name("item-knn-0123456789abcdef.bin"));
        assert!(!is_shard_name("item-knn-0123.bin"));
        assert!(!is_shard_name("notes.txt"));
    }
}
