//! The interaction readers through to splits, fits and per-user queries.
//!
//! Input: an interaction log for a fixed catalogue of eight items `a`..`h`,
//! read as JSON when it starts with `{` or `[`, else as CSV. A log that
//! reads is split (random, and temporal when it has timestamps); every
//! model is fitted on the training rows and each training user (the first
//! few) is given recommendations from their own decayed history.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use pocketrec::config::Config;
use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
use pocketrec::data::history::decay;
use pocketrec::data::interactions::{InteractionConfig, Interactions};
use pocketrec::evaluate::{split, SplitKind};
use pocketrec::recommend::fit::{fit, no_clock, FitPlan};
use pocketrec::recommend::{Model, Query};

use super::check;

/// Eight items with titles, categories, prices and one out of stock.
pub const CATALOGUE: &str = r#"{"items": [
    {"id": "a", "title": "Blue ceramic mug", "category": "kitchen", "price": 9},
    {"id": "b", "title": "Ceramic teapot", "category": "kitchen", "price": 25},
    {"id": "c", "title": "Desk lamp", "category": "office", "price": 30},
    {"id": "d", "title": "Blue ceramic cups", "category": "kitchen", "price": 12},
    {"id": "e", "title": "Notebook", "category": "office", "price": 4, "inStock": false},
    {"id": "f", "title": "Green tea", "category": "food", "price": 7},
    {"id": "g", "title": "Office chair", "category": "office", "price": 120},
    {"id": "h", "title": "Honey", "category": "food"}
]}"#;

/// Users queried per split, so one run stays short.
const QUERIED_USERS: usize = 12;

pub fn catalogue() -> Arc<Catalogue> {
    static CATALOGUE_CELL: OnceLock<Arc<Catalogue>> = OnceLock::new();
    Arc::clone(CATALOGUE_CELL.get_or_init(|| {
        Arc::new(
            Catalogue::from_json(CATALOGUE, &CatalogueConfig::default())
                .expect("the fixed catalogue reads"),
        )
    }))
}

pub fn run(data: &[u8]) {
    let catalogue = catalogue();
    let config = InteractionConfig::default();
    let read = if check::is_json(data) {
        Interactions::from_json(data, &catalogue, &config)
    } else {
        Interactions::from_csv(data, &catalogue, &config)
    };
    let Ok(log) = read else {
        return;
    };
    assert_eq!(log.item_count(), catalogue.len());
    for r in 0..log.len() {
        let (u, i, w, _) = log.row(r);
        assert!((u as usize) < log.user_count() && (i as usize) < catalogue.len());
        assert!(w.is_finite() && w > 0.0, "row {r}: weight {w}");
    }
    let _ = log.warnings();
    let mut kinds = vec![SplitKind::Random];
    if log.has_timestamps() {
        kinds.push(SplitKind::Temporal);
    }
    for kind in kinds {
        let parts = split(&log, kind, 0.3, 1).expect("0.3 is a valid fraction");
        assert_eq!(
            parts.train.len() + parts.test.len(),
            log.len(),
            "{kind:?}: every row goes to one side"
        );
        fit_and_query(&catalogue, &parts.train);
    }
}

fn fit_and_query(catalogue: &Arc<Catalogue>, train: &Interactions) {
    let config = Config::default().check().expect("the defaults are valid");
    let fitted = fit(
        Arc::clone(catalogue),
        Some(train),
        &config,
        &FitPlan::all(),
        &no_clock,
    )
    .expect("the log was read against this catalogue");
    let Some(users) = &fitted.user_items else {
        assert!(train.is_empty(), "a non-empty log is aggregated");
        return;
    };
    for model in [Model::Hybrid, Model::UserKnn, Model::Sequential] {
        let query = Query::new(5, model).check().expect("a valid query");
        for u in 0..train.user_count().min(QUERIED_USERS) {
            let items: Vec<_> = users.history(u).collect();
            for &(i, w, _) in &items {
                assert!(w.is_finite() && w > 0.0, "user {u} item {i}: weight {w}");
            }
            let history = decay(items, Some(7.0), None);
            let seen: HashSet<&str> = history
                .items
                .iter()
                .map(|&(i, _)| catalogue.id(i))
                .collect();
            let seen: Vec<&str> = seen.into_iter().collect();
            let recs = fitted
                .recommender
                .recommend_history(&history, Some(u as u32), &query)
                .expect("a decayed history of the log is valid");
            check::recommendations("recommend_history", &recs, &query, &seen);
        }
    }
}
