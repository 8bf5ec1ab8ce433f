//! Criterion benchmarks of the core, native, one thread:
//! content fit on 10k items, item-kNN fit on 100k interactions, and
//! queries over a 10k-item catalogue with a 50-item history; then, when
//! `../shared/data/movielens-latest-small` is present, the same on real
//! data (100,836 ratings, 9,742 movies).
//!
//! Run: `cargo bench --bench engine`.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pocketrec::data::catalogue::Catalogue;
use pocketrec::data::history::WeightedHistory;
use pocketrec::data::interactions::{Interactions, WeightTransform};
use pocketrec::data::movielens;
use pocketrec::models::content::{ContentConfig, ContentModel};
use pocketrec::models::item_knn::{ItemKnn, ItemKnnConfig};
use pocketrec::models::sequential::{Sequential, SequentialConfig};
use pocketrec::recommend::{BlendWeights, Model, Query, Recommender};

#[path = "synth.rs"]
mod synth;

/// Every component switched on, as a tuned config typically has it.
fn all_components() -> BlendWeights {
    BlendWeights {
        item_knn: 1.0,
        content: 0.3,
        popular: 0.05,
        sequential: 0.5,
        user_knn: 0.3,
        ..BlendWeights::only(Model::Hybrid)
    }
}

fn fits(c: &mut Criterion) {
    let catalogue = synth::catalogue(10_000, 1);
    let log = synth::interactions(10_000, 5_000, 100_000, 2);
    let user_items = log.aggregate(WeightTransform::Log1p).matrix;
    let mut group = c.benchmark_group("fit");
    group.sample_size(10);
    group.bench_function("content 10k items", |b| {
        b.iter(|| ContentModel::fit(black_box(&catalogue), &ContentConfig::default()))
    });
    group.bench_function("item-knn 100k interactions", |b| {
        b.iter(|| ItemKnn::fit(black_box(&user_items), &ItemKnnConfig::default()))
    });
    group.bench_function("sequential 100k interactions", |b| {
        b.iter(|| Sequential::fit(black_box(&log), &SequentialConfig::default()))
    });
    group.bench_function("aggregate 100k interactions", |b| {
        b.iter(|| black_box(&log).aggregate(WeightTransform::Log1p))
    });
    group.finish();
}

/// Benchmarks each model's query for `history`, and hybrid variants.
fn query_group(
    c: &mut Criterion,
    name: &str,
    rec: &Recommender,
    history: &WeightedHistory,
    item: &str,
) {
    let mut group = c.benchmark_group(name);
    for model in [
        Model::Popular,
        Model::Content,
        Model::ItemKnn,
        Model::UserKnn,
        Model::Sequential,
        Model::Hybrid,
    ] {
        let query = Query::new(10, model).check().unwrap();
        group.bench_function(format!("recommend {model:?}"), |b| {
            b.iter(|| {
                rec.recommend_history(black_box(history), None, &query)
                    .unwrap()
            })
        });
    }
    let all = Query {
        weights: Some(all_components()),
        ..Query::new(10, Model::Hybrid)
    };
    group.bench_function("recommend Hybrid, all five components", |b| {
        b.iter(|| {
            rec.recommend_history(black_box(history), None, &all.clone().check().unwrap())
                .unwrap()
        })
    });
    let diverse = Query {
        diversity: 0.3,
        ..all.clone()
    };
    group.bench_function("recommend Hybrid, all five + diversity 0.3", |b| {
        b.iter(|| {
            rec.recommend_history(black_box(history), None, &diverse.clone().check().unwrap())
                .unwrap()
        })
    });
    for model in [Model::Content, Model::ItemKnn, Model::Hybrid] {
        let query = Query::new(10, model).check().unwrap();
        group.bench_function(format!("similar {model:?}"), |b| {
            b.iter(|| rec.similar_items(black_box(item), &query).unwrap())
        });
    }
    group.finish();
}

fn synthetic_queries(c: &mut Criterion) {
    let catalogue = synth::catalogue(10_000, 1);
    let log = synth::interactions(10_000, 5_000, 100_000, 2);
    let rec = Recommender::fit(catalogue, Some(&log), &Default::default()).unwrap();
    // A history of 50 distinct items, weights as after the log1p transform,
    // in the order the shopper met them.
    let mut items: Vec<(u32, f32)> = (0..50)
        .map(|i| (i * 197 % 10_000, 1.0 + (i % 3) as f32 * 0.3))
        .collect();
    let recent: Vec<u32> = items.iter().map(|h| h.0).collect();
    items.sort_unstable_by_key(|h| h.0);
    let history = WeightedHistory { items, recent };
    query_group(c, "10k items, 50 history items", &rec, &history, "sku-123");
    let query = Query::new(10, Model::Content).check().unwrap();
    c.bench_function("search 10k items", |b| {
        b.iter(|| rec.search(black_box("kalo miter banso"), &query).unwrap())
    });
}

fn movielens(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/movielens-latest-small");
    let (Ok(movies), Ok(ratings)) = (
        std::fs::read(dir.join("movies.csv")),
        std::fs::read(dir.join("ratings.csv")),
    ) else {
        eprintln!(
            "skipped: MovieLens benchmarks ({} not found)",
            dir.display()
        );
        return;
    };
    let tags = std::fs::read(dir.join("tags.csv")).ok();
    let value = movielens::catalogue_json(&movies, tags.as_deref()).unwrap();
    let catalogue = Catalogue::from_value(value, &Default::default()).unwrap();
    let log = Interactions::from_csv(&ratings, &catalogue, &Default::default()).unwrap();
    let user_items = log.aggregate(WeightTransform::Log1p);
    let mut group = c.benchmark_group("movielens fit");
    group.sample_size(10);
    for (label, config) in [
        ("bm25 K=100", ItemKnnConfig::default()),
        (
            "cosine K=20",
            ItemKnnConfig {
                similarity: pocketrec::models::item_knn::Similarity::Cosine,
                neighbours: 20,
                ..Default::default()
            },
        ),
    ] {
        group.bench_function(format!("item-knn {label}, 100,836 ratings"), |b| {
            b.iter(|| ItemKnn::fit(black_box(&user_items.matrix), &config))
        });
    }
    group.bench_function("content 9,742 movies", |b| {
        b.iter(|| ContentModel::fit(black_box(&catalogue), &ContentConfig::default()))
    });
    group.bench_function("whole recommender", |b| {
        b.iter(|| {
            Recommender::fit(
                black_box(catalogue.clone()),
                Some(&log),
                &Default::default(),
            )
            .unwrap()
        })
    });
    group.finish();
    // The user with the history closest to 50 items.
    let user = (0..user_items.matrix.rows())
        .min_by_key(|&u| user_items.matrix.row_len(u).abs_diff(50))
        .unwrap();
    let history = pocketrec::data::history::decay(user_items.history(user).collect(), None, None);
    let rec = Recommender::fit(catalogue, Some(&log), &Default::default()).unwrap();
    let name = format!("movielens, user with {} items", history.items.len());
    query_group(c, &name, &rec, &history, "1");
}

criterion_group!(benches, fits, synthetic_queries, movielens);
criterion_main!(benches);
