//! What every command reads: the catalogue, the config, the interactions
//! and the shared query options; and how they report (progress, stdout).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use pocketrec::config::{CheckedConfig, Config};
use pocketrec::data::catalogue::Catalogue;
use pocketrec::data::interactions::Interactions;
use pocketrec::data::movielens;
use pocketrec::evaluate::{split, SplitKind};
use pocketrec::index::manifest::MAX_MANIFEST_BYTES;
use pocketrec::index::{OpenedIndex, MANIFEST};
use pocketrec::limits;
use pocketrec::recommend::filter::Filter;
use pocketrec::recommend::{Model, Query};

#[derive(Args)]
pub struct Inputs {
    /// Catalogue JSON, or a MovieLens folder (or its movies.csv).
    #[arg(long)]
    pub catalog: PathBuf,
    /// Config JSON (field roles, weights, model options).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Where the models of a query come from: a fit of the catalogue (and
/// interactions), or a model index.
#[derive(Args)]
pub struct ServeInputs {
    /// Catalogue JSON, or a MovieLens folder (or its movies.csv).
    #[arg(long, required_unless_present = "index")]
    pub catalog: Option<PathBuf>,
    /// Config JSON (field roles, weights, model options).
    #[arg(long, conflicts_with = "index")]
    pub config: Option<PathBuf>,
    /// A model index folder (`pocketrec build`) to answer from instead of
    /// fitting; its options are the ones it was built with.
    #[arg(long, conflicts_with = "catalog")]
    pub index: Option<PathBuf>,
}

/// Opens a model index folder.
pub fn open_index(dir: &Path) -> Result<OpenedIndex> {
    let manifest = read_at_most(
        &dir.join(MANIFEST),
        "model index manifest",
        MAX_MANIFEST_BYTES,
    )
    .with_context(|| format!("{} is not a pocketrec model index", dir.display()))?;
    let mut read = |file: &str| -> pocketrec::Result<Vec<u8>> {
        let path = dir.join(file);
        let bad = |message: String| pocketrec::Error::BadIndex {
            file: file.to_string(),
            message,
        };
        let size = std::fs::metadata(&path)
            .map_err(|e| bad(format!("missing from {}: {e}", dir.display())))?
            .len();
        if size > limits::MAX_INPUT_BYTES as u64 {
            return Err(bad(format!(
                "{size} bytes is more than the limit of {} bytes",
                limits::MAX_INPUT_BYTES
            )));
        }
        std::fs::read(&path).map_err(|e| bad(format!("could not be read: {e}")))
    };
    let opened = pocketrec::index::open(&manifest, &mut read)
        .with_context(|| format!("in model index {}", dir.display()))?;
    Ok(opened)
}

#[derive(Args)]
pub struct QueryArgs {
    /// Number of items per answer.
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// popular, content, item-knn, user-knn, sequential, ease, als or hybrid.
    #[arg(long, default_value = "hybrid")]
    pub model: String,
    /// Diversity in [0, 1] (MMR with λ = 1 − diversity).
    #[arg(long, default_value_t = 0.0)]
    pub diversity: f32,
    /// Half-life in days for the time decay of a user's history.
    #[arg(long)]
    pub half_life_days: Option<f64>,
    /// Only items not flagged out of stock.
    #[arg(long)]
    pub in_stock_only: bool,
    /// Only items in these categories (repeatable).
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// Never items in these categories (repeatable).
    #[arg(long = "exclude-category")]
    pub exclude_categories: Vec<String>,
    /// Never these item ids (repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Lowest price.
    #[arg(long)]
    pub min_price: Option<f64>,
    /// Highest price.
    #[arg(long)]
    pub max_price: Option<f64>,
}

impl QueryArgs {
    pub fn query(&self, model: Model) -> Query {
        Query {
            k: self.k,
            model,
            diversity: self.diversity,
            half_life_days: self.half_life_days,
            filter: Filter {
                exclude: self.exclude.clone(),
                in_stock_only: self.in_stock_only,
                categories: self.categories.clone(),
                exclude_categories: self.exclude_categories.clone(),
                min_price: self.min_price,
                max_price: self.max_price,
            },
            ..Query::default()
        }
    }
}

#[derive(Args)]
pub struct SplitOptions {
    /// random (per user) or temporal (each user's latest items).
    #[arg(long, default_value = "random")]
    pub split: String,
    /// Share of each user's items held out.
    #[arg(long, default_value_t = 0.2)]
    pub test_fraction: f64,
    /// Seed of the random split (and of eval --compare's bootstrap).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Reads a whole input file, refusing one past [`limits::MAX_INPUT_BYTES`]
/// before any of it is read.
pub fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    read_at_most(path, what, limits::MAX_INPUT_BYTES)
}

/// Reads a whole input file, refusing one past `limit` bytes before any of
/// it is read. A pipe or other stream has no size to check first, so it is
/// read through a `take(limit + 1)`: at most one byte past the limit is
/// ever held before the refusal.
pub fn read_at_most(path: &Path, what: &str, limit: usize) -> Result<Vec<u8>> {
    let cannot = || format!("could not read {what} from {}", path.display());
    let too_big = |size: String| {
        anyhow::anyhow!(
            "{what} {} is {size} bytes, more than the limit of {limit} bytes ({} MiB)",
            path.display(),
            limit >> 20
        )
    };
    let meta = std::fs::metadata(path).with_context(cannot)?;
    if meta.is_file() {
        if meta.len() > limit as u64 {
            return Err(too_big(meta.len().to_string()));
        }
        return std::fs::read(path).with_context(cannot);
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes))
        .with_context(cannot)?;
    if bytes.len() > limit {
        return Err(too_big(format!("over {limit}")));
    }
    Ok(bytes)
}

pub fn load_config(path: Option<&Path>) -> Result<CheckedConfig> {
    match path {
        Some(p) => {
            let bytes = read(p, "config")?;
            Config::from_json(&bytes).with_context(|| format!("in {}", p.display()))
        }
        None => Ok(CheckedConfig::default()),
    }
}

/// Reads a catalogue: JSON, or the MovieLens layout (a folder with
/// movies.csv and optionally tags.csv, or movies.csv itself).
pub fn load_catalogue(path: &Path, config: &Config) -> Result<Catalogue> {
    let movies = if path.is_dir() {
        Some(path.join("movies.csv"))
    } else {
        (path.file_name() == Some("movies.csv".as_ref())).then(|| path.to_path_buf())
    };
    let catalogue = match movies {
        Some(movies) => {
            let tags_path = movies.with_file_name("tags.csv");
            let tags = if tags_path.exists() {
                Some(read(&tags_path, "tags")?)
            } else {
                None
            };
            let value = movielens::catalogue_json(&read(&movies, "movies")?, tags.as_deref())?;
            Catalogue::from_value(value, &config.catalogue)
        }
        None => Catalogue::from_json(
            read_at_most(path, "catalogue", limits::MAX_CATALOGUE_BYTES)?,
            &config.catalogue,
        ),
    };
    let catalogue = catalogue.with_context(|| format!("in catalogue {}", path.display()))?;
    for note in catalogue.notes() {
        eprintln!("note: catalogue {}: {note}", path.display());
    }
    Ok(catalogue)
}

pub fn load_interactions(
    path: &Path,
    catalogue: &Catalogue,
    config: &Config,
) -> Result<Interactions> {
    let bytes = read(path, "interactions")?;
    let log = if path.extension().is_some_and(|e| e == "json") {
        Interactions::from_json(bytes, catalogue, &config.interactions)
    } else {
        Interactions::from_csv(bytes, catalogue, &config.interactions)
    }
    .with_context(|| format!("in {}", path.display()))?;
    for w in log.warnings() {
        eprintln!("warning: {}: {w}", path.display());
    }
    Ok(log)
}

pub fn progress_bar(len: usize, label: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {eta}")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    bar
}

pub fn load_split(
    catalog: &Path,
    interactions: &Path,
    options: &SplitOptions,
    config: &Config,
) -> Result<(Catalogue, Interactions, pocketrec::evaluate::Split)> {
    let kind: SplitKind = options.split.parse()?;
    let catalogue = load_catalogue(catalog, config)?;
    let log = load_interactions(interactions, &catalogue, config)?;
    if log.is_empty() {
        bail!("{}: no usable interactions", interactions.display());
    }
    if kind == SplitKind::Temporal && !log.has_timestamps() {
        match log.timestamped_rows() {
            0 => bail!(
                "--split temporal needs timestamps; {} has none; use --split random",
                interactions.display()
            ),
            n => bail!(
                "--split temporal needs a timestamp on every row; {} has {} of {} rows without one; use --split random",
                interactions.display(),
                log.len() - n,
                log.len()
            ),
        }
    }
    let parts = split(&log, kind, options.test_fraction, options.seed)?;
    Ok((catalogue, log, parts))
}

/// Writes a line to standard output, reporting a closed pipe as an error
/// (which `main` treats as a quiet stop) instead of panicking as `println!` does.
pub fn emit(text: &str) -> Result<()> {
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}
