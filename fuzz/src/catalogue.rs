//! The catalogue reader through to queries.
//!
//! Input: the first line is a search text, the rest a catalogue (JSON).
//! A catalogue that reads is fitted (content and popularity) and queried
//! with every model: similar items and a one-item history for its first
//! items, the search text, and a diversified, filtered hybrid query.

use pocketrec::config::Config;
use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
use pocketrec::data::history::Event;
use pocketrec::recommend::filter::Filter;
use pocketrec::recommend::{Model, Query, Recommender};

use super::check;

/// Models queried: each single model and the blend.
const MODELS: [Model; 6] = [
    Model::Popular,
    Model::Content,
    Model::ItemKnn,
    Model::UserKnn,
    Model::Sequential,
    Model::Hybrid,
];

/// Items queried per input, so one run stays short.
const QUERIED: usize = 4;

pub fn run(data: &[u8]) {
    let (text, json) = check::first_line(data);
    let text = String::from_utf8_lossy(text);
    let Ok(catalogue) = Catalogue::from_json(json, &CatalogueConfig::default()) else {
        return;
    };
    assert!(
        !catalogue.is_empty(),
        "a catalogue read without error has items"
    );
    let config = Config::default().check().expect("the defaults are valid");
    let rec = Recommender::fit(catalogue, None, &config).expect("a fit without a log cannot fail");
    let ids: Vec<String> = rec
        .catalogue()
        .ids()
        .iter()
        .take(QUERIED)
        .cloned()
        .collect();
    for model in MODELS {
        let query = Query::new(5, model).check().expect("a valid query");
        for id in &ids {
            let similar = rec
                .similar_items(id, &query)
                .expect("the id is in the catalogue");
            check::recommendations("similar", &similar, &query, &[id]);
            let recs = rec
                .recommend(&[Event::item(id.as_str())], &query)
                .expect("a plain event is valid");
            check::recommendations("recommend", &recs, &query, &[id]);
        }
        let found = rec.search(&text, &query).expect("content is fitted");
        check::recommendations("search", &found, &query, &[]);
    }
    // Diversity and a filter: the first item's categories, without the
    // second item, in stock, priced.
    let first = rec.catalogue().index_of(&ids[0]).expect("its own id");
    let filter = Filter {
        exclude: ids.iter().skip(1).take(1).cloned().collect(),
        in_stock_only: true,
        categories: rec.catalogue().categories(first).to_vec(),
        min_price: Some(0.0),
        ..Filter::default()
    };
    let excluded: Vec<&str> = filter.exclude.iter().map(String::as_str).collect();
    let query = Query {
        diversity: 0.3,
        filter: filter.clone(),
        ..Query::new(5, Model::Hybrid)
    }
    .check()
    .expect("a valid query");
    let recs = rec
        .recommend(&[Event::item(ids[0].as_str())], &query)
        .expect("a plain event is valid");
    let mut left_out = excluded.clone();
    left_out.push(&ids[0]);
    check::recommendations("filtered", &recs, &query, &left_out);
    check::filtered(rec.catalogue(), &query.filter, &recs);
    let found = rec.search(&text, &query).expect("content is fitted");
    check::recommendations("filtered search", &found, &query, &excluded);
    check::filtered(rec.catalogue(), &query.filter, &found);
}
