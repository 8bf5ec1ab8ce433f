//! The native side of the browser benchmark (tests/benches/browser.mjs):
//! the same steps as the benchmark page, on the same generated files, so
//! wasm and native compare like for like.
//!
//! - "load+fit": catalogue JSON text → `Catalogue`, interactions CSV →
//!   `Interactions`, `Recommender::fit` (what the wasm `Engine` constructor,
//!   `loadInteractionsCsv` and `fit` do);
//! - "recommend": a 10-item history (ids spread evenly over the catalogue),
//!   options `{"k": 10}` (hybrid, with explanations).
//!
//! The files are written by `node www/scripts/build-web.mjs`; without them
//! this bench skips. Run: `cargo bench --bench browser_parity`.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pocketrec::catalogue::Catalogue;
use pocketrec::config::Config;
use pocketrec::history::Event;
use pocketrec::hybrid::{Query, Recommender};
use pocketrec::interactions::Interactions;

fn load_fit(catalogue: &str, csv: &str, config: &Config) -> Recommender {
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
    let config = Config::default();
    let rec = load_fit(&catalogue, &csv, &config);
    let ids = Catalogue::from_json(&catalogue, &config.catalogue)
        .unwrap()
        .ids()
        .to_vec();
    // The page's history: ids[floor(j * n / 10) + 1], j = 0..9.
    let history: Vec<Event> = (0..10)
        .map(|j| Event::item(&ids[j * ids.len() / 10 + 1]))
        .collect();
    let query: Query = serde_json::from_str(r#"{"k": 10}"#).unwrap();
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
    group.finish();
}

fn shops(c: &mut Criterion) {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/dist");
    shop(c, "demo shop", &dist.join("demo/shop"));
    shop(c, "10k shop", &dist.join("bench/shop"));
}

criterion_group!(benches, shops);
criterion_main!(benches);
