//! The native side of the browser benchmark (tests/benches/browser.mjs):
//! the same steps as the benchmark page, on the same generated files, so
//! wasm and native compare like for like.
//!
//! - "load+fit": catalogue JSON text → `Catalogue`, interactions CSV →
//!   `Interactions`, `Recommender::fit` (what the wasm `Engine` constructor,
//!   `loadInteractionsCsv` and `fit` do);
//! - "recommend": a 10-item history (ids spread evenly over the catalogue),
//!   options `{"k": 10}` (hybrid, with explanations);
//! - "open index": the shop's model index opened from files at hand, as
//!   `Engine.fromIndex` does.
//!
//! - "forecast 144": the automatic forecaster on a 144-point monthly series
//!   (trend, yearly season, deterministic wiggle), 18 steps, season 12.
//!
//! The files are written by `node www/scripts/build-web.mjs`; without them
//! this bench skips. Run: `cargo bench --bench browser_parity`.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pocketrec::config::CheckedConfig;
use pocketrec::data::catalogue::Catalogue;
use pocketrec::data::history::Event;
use pocketrec::data::interactions::Interactions;
use pocketrec::recommend::{Query, Recommender};

fn load_fit(catalogue: &str, csv: &str, config: &CheckedConfig) -> Recommender {
    let catalogue = Catalogue::from_json(catalogue, &config.catalogue).unwrap();
    let log = Interactions::from_csv(csv, &catalogue, &config.interactions).unwrap();
    Recommender::fit(catalogue, Some(&log), config).unwrap()
}

fn shop(c: &mut Criterion, name: &str, dir: &Path) {
    let (Ok(catalogue), Ok(csv)) = (
        std::fs::read_to_string(dir.join("catalogue.json")),
        std::fs::read_to_string(dir.join("interactions.csv")),
    ) else {
        eprintln!(
            "skipped: {name} ({} not built; run node www/scripts/build-web.mjs)",
            dir.display()
        );
        return;
    };
    let config = CheckedConfig::default();
    let rec = load_fit(&catalogue, &csv, &config);
    let ids = Catalogue::from_json(&catalogue, &config.catalogue)
        .unwrap()
        .ids()
        .to_vec();
    // The page's history: ids[floor(j * n / 10) + 1], j = 0..9.
    let history: Vec<Event> = (0..10)
        .map(|j| Event::item(&ids[j * ids.len() / 10 + 1]))
        .collect();
    let query = serde_json::from_str::<Query>(r#"{"k": 10}"#)
        .unwrap()
        .check()
        .unwrap();
    let mut group = c.benchmark_group("browser parity");
    group.sample_size(10);
    group.bench_function(format!("load+fit {name}"), |b| {
        b.iter(|| load_fit(black_box(&catalogue), black_box(&csv), &config))
    });
    group.bench_function(format!("recommend {name}"), |b| {
        b.iter(|| rec.recommend(black_box(&history), &query).unwrap())
    });
    group.bench_function(format!("similar {name}"), |b| {
        b.iter(|| rec.similar_items(black_box(&ids[1]), &query).unwrap())
    });
    open_index(&mut group, name, &dir.join("index"));
    group.finish();
}

/// "open index": every file of the shop's model index, read beforehand, opened as
/// `Engine.fromIndex` opens it (the models whole; the lists of no item yet).
fn open_index(
    group: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
    name: &str,
    dir: &Path,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let files: std::collections::HashMap<String, Vec<u8>> = entries
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    let manifest = &files[pocketrec::index::MANIFEST];
    group.bench_function(format!("open index {name}"), |b| {
        b.iter(|| {
            let mut read = |f: &str| Ok(files[f].clone());
            pocketrec::index::open_partial(
                manifest,
                &mut read,
                &pocketrec::recommend::Model::SINGLE,
            )
            .unwrap()
        })
    });
}

/// The benchmark page's series (www/src/demo/bench.ts computes the same).
fn monthly_144() -> Vec<f64> {
    const SEASON: [f64; 12] = [
        0.9, 0.88, 1.0, 0.97, 0.98, 1.1, 1.22, 1.21, 1.06, 0.92, 0.8, 0.9,
    ];
    (0..144)
        .map(|t| {
            let t = t as f64;
            (120.0 + 2.5 * t) * SEASON[t as usize % 12] * (1.0 + 0.02 * (1.7 * t).sin())
        })
        .collect()
}

fn shops(c: &mut Criterion) {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/dist");
    shop(c, "demo shop", &dist.join("demo/shop"));
    shop(c, "10k shop", &dist.join("bench/shop"));
    let series = monthly_144();
    let options = pocketrec::forecast::ForecastOptions {
        season_length: Some(12),
        ..Default::default()
    };
    let mut group = c.benchmark_group("browser parity");
    group.bench_function("forecast 144", |b| {
        b.iter(|| pocketrec::forecast::forecast(black_box(&series), 18, &options).unwrap())
    });
    group.finish();
}

criterion_group!(benches, shops);
criterion_main!(benches);
