//! Criterion benchmarks of the core, native, one thread:
//! content fit on 10k items, item-kNN fit on 100k interactions, and
//! queries over a 10k-item catalogue with a 50-item history.
//!
//! Run: `cargo bench --bench engine`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pocketrec::config::Config;
use pocketrec::content::{ContentConfig, ContentModel};
use pocketrec::hybrid::{Model, Query, Recommender};
use pocketrec::interactions::WeightTransform;
use pocketrec::item_cf::{ItemKnn, ItemKnnConfig};

#[path = "synth.rs"]
mod synth;

fn fits(c: &mut Criterion) {
    let catalogue = synth::catalogue(10_000, 1);
    let log = synth::interactions(10_000, 5_000, 100_000, 2);
    let user_items = log.aggregate(WeightTransform::Log1p).matrix;
    let mut group = c.benchmark_group("fit");
    group.sample_size(10);
    group.bench_function("content 10k items", |b| {
        b.iter(|| ContentModel::fit(black_box(&catalogue), &ContentConfig::default()).unwrap())
    });
    group.bench_function("item-knn 100k interactions", |b| {
        b.iter(|| ItemKnn::fit(black_box(&user_items), &ItemKnnConfig::default()).unwrap())
    });
    group.bench_function("aggregate 100k interactions", |b| {
        b.iter(|| black_box(&log).aggregate(WeightTransform::Log1p))
    });
    group.finish();
}

fn queries(c: &mut Criterion) {
    let catalogue = synth::catalogue(10_000, 1);
    let log = synth::interactions(10_000, 5_000, 100_000, 2);
    let rec = Recommender::fit(catalogue, Some(&log), &Config::default()).unwrap();
    // A history of 50 distinct items, weights as after the log1p transform.
    let history: Vec<(u32, f32)> = (0..50)
        .map(|i| (i * 197 % 10_000, 1.0 + (i % 3) as f32 * 0.3))
        .collect();
    let mut history = history;
    history.sort_unstable_by_key(|h| h.0);
    let mut group = c.benchmark_group("recommend 10k items, 50 history items");
    for model in [
        Model::Popular,
        Model::Content,
        Model::ItemKnn,
        Model::Hybrid,
    ] {
        let query = Query::new(10, model);
        group.bench_function(format!("{model:?}"), |b| {
            b.iter(|| rec.recommend_weighted(black_box(&history), &query).unwrap())
        });
    }
    let diverse = Query {
        diversity: 0.3,
        ..Query::new(10, Model::Hybrid)
    };
    group.bench_function("Hybrid + diversity 0.3", |b| {
        b.iter(|| {
            rec.recommend_weighted(black_box(&history), &diverse)
                .unwrap()
        })
    });
    let no_explain = Query {
        explain: false,
        ..Query::new(10, Model::Hybrid)
    };
    group.bench_function("Hybrid without explanations", |b| {
        b.iter(|| {
            rec.recommend_weighted(black_box(&history), &no_explain)
                .unwrap()
        })
    });
    group.finish();
    let mut group = c.benchmark_group("similar items 10k");
    for model in [Model::Content, Model::ItemKnn, Model::Hybrid] {
        let query = Query::new(10, model);
        group.bench_function(format!("{model:?}"), |b| {
            b.iter(|| rec.similar_items(black_box("sku-123"), &query).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, fits, queries);
criterion_main!(benches);
