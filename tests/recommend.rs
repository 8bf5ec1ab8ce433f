//! Behaviour of the public recommendation API on a small hand-made shop.
//!
//! The fixture (tests/fixtures/shop.json, tests/fixtures/shop_interactions.csv)
//! has 12 items and 40 rows from 8 users. Distinct users per item, worked
//! out by hand from the CSV:
//!
//! | index | id         | users          | count |
//! |-------|------------|----------------|-------|
//! | 0     | bt-earbuds | u1 u2 u3 u8    | 4     |
//! | 1     | bt-sport   | u1 u3 u6       | 3     |
//! | 2     | headphones | u1 u2          | 2     |
//! | 3     | speaker    | u2 u3          | 2     | (out of stock)
//! | 4     | mug        | u4 u5 u8       | 3     |
//! | 5     | teapot     | u4 u5          | 2     |
//! | 6     | kettle     | u4 u5          | 2     | (out of stock)
//! | 7     | grinder    | u4 u8          | 2     |
//! | 8     | shoes      | u6 u7          | 2     |
//! | 9     | bottle     | u6 u7          | 2     |
//! | 10    | floor-lamp | u7 u8          | 2     |
//! | 11    | desk-lamp  | –              | 0     |
//!
//! so the popular order (score descending, ties by item index) is
//! [`POPULAR_ORDER`].

use std::collections::{BTreeSet, HashSet};

use pocketrec::config::Config;
use pocketrec::data::catalogue::{Catalogue, CatalogueConfig, FieldConfig, FieldValues, Role};
use pocketrec::data::history::Event;
use pocketrec::data::interactions::{InteractionConfig, Interactions};
use pocketrec::models::content::ContentModel;
use pocketrec::models::item_knn::ItemKnn;
use pocketrec::models::popularity::Popularity;
use pocketrec::recommend::filter::Filter;
use pocketrec::recommend::{
    fit::fit, BlendWeights, FitPlan, Model, Query, Reason, Recommendation, Recommender,
};
use pocketrec::Error;

mod common;
use common::{shop_catalogue, shop_log, shop_recommender, POPULAR_ORDER, SHOP, SHOP_LOG};

const MODELS: [Model; 8] = [
    Model::Popular,
    Model::Content,
    Model::ItemKnn,
    Model::UserKnn,
    Model::Sequential,
    Model::Ease,
    Model::Als,
    Model::Hybrid,
];
const N_ITEMS: usize = 12;

fn shop() -> Recommender {
    shop_recommender()
}

/// Each user's distinct items, read from the CSV by hand (not through the crate),
/// users in order of first appearance.
fn user_histories() -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in SHOP_LOG.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let (user, item) = (cols[0], cols[1]);
        let pos = match out.iter().position(|(u, _)| u == user) {
            Some(p) => p,
            None => {
                out.push((user.to_string(), Vec::new()));
                out.len() - 1
            }
        };
        if !out[pos].1.iter().any(|i| i == item) {
            out[pos].1.push(item.to_string());
        }
    }
    out
}

fn events(items: &[String]) -> Vec<Event> {
    items.iter().map(|i| Event::item(i.as_str())).collect()
}

fn ids(recs: &[Recommendation]) -> Vec<&str> {
    recs.iter().map(|r| r.id.as_str()).collect()
}

fn scores(recs: &[Recommendation]) -> Vec<f32> {
    recs.iter().map(|r| r.score).collect()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

fn query(k: usize, model: Model, filter: Filter) -> Query {
    Query {
        filter,
        ..Query::new(k, model)
    }
}

/// Checks the invariants every answer must satisfy.
fn check_list(recs: &[Recommendation], excluded: &[&str], k: usize, catalogue: &Catalogue) {
    assert_eq!(recs.len(), k, "{:?}", ids(recs));
    let distinct: HashSet<&str> = ids(recs).into_iter().collect();
    assert_eq!(
        distinct.len(),
        recs.len(),
        "duplicate ids in {:?}",
        ids(recs)
    );
    for r in recs {
        assert!(
            !excluded.contains(&r.id.as_str()),
            "{} was excluded but returned: {:?}",
            r.id,
            ids(recs)
        );
        assert!(
            r.score.is_finite() && r.score >= 0.0,
            "score of {} is {}",
            r.id,
            r.score
        );
        assert_eq!(
            catalogue.index_of(&r.id),
            Some(r.index),
            "index of {}",
            r.id
        );
    }
}

fn non_increasing(recs: &[Recommendation]) -> bool {
    recs.windows(2).all(|w| w[0].score >= w[1].score)
}

// ---------------------------------------------------------------------------
// The fixture itself
// ---------------------------------------------------------------------------

#[test]
fn fixture_reads_as_designed() {
    let c = shop_catalogue();
    assert_eq!(c.len(), N_ITEMS);
    assert_eq!(c.ids()[0], "bt-earbuds");
    assert_eq!(c.ids()[11], "desk-lamp");
    // Fields in name order; inStock is the availability flag, not a feature.
    let roles: Vec<(&str, Role)> = c
        .fields()
        .iter()
        .map(|f| (f.name.as_str(), f.role()))
        .collect();
    assert_eq!(
        roles,
        [
            ("brand", Role::Categorical),
            ("category", Role::Categorical),
            ("description", Role::Text),
            ("price", Role::Numeric),
            ("tags", Role::Categorical),
            ("title", Role::Text),
        ]
    );
    // The mug's price is the string "12.50".
    assert_eq!(c.price(4), Some(12.5));
    assert_eq!(c.price(2), Some(89.5));
    assert!(!c.is_available(3) && !c.is_available(6));
    assert_eq!((0..12).filter(|&i| c.is_available(i)).count(), 10);
    assert_eq!(c.categories(4), ["Kitchen"]);
    assert_eq!(c.title(0), Some("无线蓝牙耳机"));

    let log = shop_log(&c);
    assert_eq!(log.len(), 40);
    assert_eq!(log.user_count(), 8);
    assert!(log.warnings().is_empty(), "{:?}", log.warnings());
    // First row: u1, bt-earbuds, weight 1, timestamp 1700000000.
    assert_eq!(log.row(0), (0, 0, 1.0, Some(1_700_000_000)));
    assert_eq!(log.user_id(7), "u8");
}

#[test]
fn popularity_counts_distinct_users() {
    let rec = shop();
    assert_eq!(
        rec.popularity().scores(),
        &[4.0, 3.0, 2.0, 2.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 0.0]
    );
    let order: Vec<&str> = rec
        .popularity()
        .order()
        .iter()
        .map(|&i| rec.catalogue().id(i))
        .collect();
    assert_eq!(order, POPULAR_ORDER);
}

// ---------------------------------------------------------------------------
// Invariants for every model
// ---------------------------------------------------------------------------

#[test]
fn history_items_are_never_returned_and_k_is_exact() {
    let rec = shop();
    for (user, history) in user_histories() {
        let excluded: Vec<&str> = history.iter().map(String::as_str).collect();
        let candidates = N_ITEMS - history.len();
        for model in MODELS {
            // Exactly k whenever k candidates exist.
            for k in [1, 3, candidates] {
                let recs = rec
                    .recommend(&events(&history), &Query::new(k, model).check().unwrap())
                    .unwrap();
                check_list(&recs, &excluded, k, rec.catalogue());
                assert!(
                    non_increasing(&recs),
                    "{model:?} {user}: {:?}",
                    scores(&recs)
                );
            }
            // Asking for more than there are gives every candidate, once.
            let recs = rec
                .recommend(
                    &events(&history),
                    &Query::new(N_ITEMS + 5, model).check().unwrap(),
                )
                .unwrap();
            check_list(&recs, &excluded, candidates, rec.catalogue());
        }
    }
}

#[test]
fn repeated_events_count_once_in_the_exclusion() {
    let rec = shop();
    let history = [
        Event::item("mug"),
        Event::item("mug"),
        Event {
            weight: Some(3.0),
            ..Event::item("mug")
        },
    ];
    for model in MODELS {
        let recs = rec
            .recommend(&history, &Query::new(20, model).check().unwrap())
            .unwrap();
        check_list(&recs, &["mug"], N_ITEMS - 1, rec.catalogue());
    }
}

#[test]
fn answers_are_deterministic_and_survive_a_refit() {
    let first = shop();
    let second = shop();
    let users = user_histories();
    let mut histories: Vec<Vec<String>> = users.into_iter().map(|(_, h)| h).collect();
    histories.push(Vec::new());
    for model in MODELS {
        for diversity in [0.0, 0.6] {
            let q = Query {
                diversity,
                ..Query::new(7, model)
            };
            for history in &histories {
                let a = first
                    .recommend(&events(history), &q.clone().check().unwrap())
                    .unwrap();
                let b = first
                    .recommend(&events(history), &q.clone().check().unwrap())
                    .unwrap();
                let c = second
                    .recommend(&events(history), &q.clone().check().unwrap())
                    .unwrap();
                assert_eq!(a, b, "{model:?} twice");
                assert_eq!(a, c, "{model:?} after refit");
                let bits =
                    |r: &[Recommendation]| r.iter().map(|x| x.score.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&a), bits(&c));
            }
            for id in POPULAR_ORDER {
                let a = first
                    .similar_items(id, &q.clone().check().unwrap())
                    .unwrap();
                assert_eq!(
                    a,
                    first
                        .similar_items(id, &q.clone().check().unwrap())
                        .unwrap()
                );
                assert_eq!(
                    a,
                    second
                        .similar_items(id, &q.clone().check().unwrap())
                        .unwrap()
                );
            }
        }
    }
    // A clone answers like the original.
    let cloned = first.clone();
    let q = Query::new(5, Model::Hybrid);
    assert_eq!(
        cloned
            .recommend(&events(&histories[0]), &q.clone().check().unwrap())
            .unwrap(),
        first
            .recommend(&events(&histories[0]), &q.clone().check().unwrap())
            .unwrap()
    );
}

#[test]
fn every_score_is_finite_in_every_mode() {
    let rec = shop();
    for model in MODELS {
        for (_, history) in user_histories() {
            for diversity in [0.0, 0.3, 1.0] {
                let q = Query {
                    diversity,
                    half_life_days: Some(0.5),
                    ..Query::new(N_ITEMS, model)
                };
                for r in rec
                    .recommend(&events(&history), &q.clone().check().unwrap())
                    .unwrap()
                {
                    assert!(
                        r.score.is_finite(),
                        "{model:?}: {} has score {}",
                        r.id,
                        r.score
                    );
                    for reason in &r.reasons {
                        let w = match reason {
                            Reason::SharedFeature { weight, .. }
                            | Reason::AlsoInteracted { weight, .. }
                            | Reason::ChosenAfter { weight, .. }
                            | Reason::BecauseYouChose { weight, .. } => *weight,
                            Reason::SimilarShoppers { count } => *count as f32,
                            Reason::Popular { score } => *score,
                        };
                        assert!(w.is_finite() && w > 0.0, "{reason:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn similar_items_never_returns_the_query_item() {
    let rec = shop();
    for model in MODELS {
        for id in POPULAR_ORDER {
            let recs = rec
                .similar_items(id, &Query::new(N_ITEMS - 1, model).check().unwrap())
                .unwrap();
            check_list(&recs, &[id], N_ITEMS - 1, rec.catalogue());
            let recs = rec
                .similar_items(id, &Query::new(100, model).check().unwrap())
                .unwrap();
            check_list(&recs, &[id], N_ITEMS - 1, rec.catalogue());
        }
    }
}

#[test]
fn k_zero_returns_nothing() {
    let rec = shop();
    for model in MODELS {
        for diversity in [0.0, 0.5] {
            let q = Query {
                diversity,
                ..Query::new(0, model)
            };
            assert!(rec
                .recommend(&[], &q.clone().check().unwrap())
                .unwrap()
                .is_empty());
            assert!(rec
                .recommend(&[Event::item("mug")], &q.clone().check().unwrap())
                .unwrap()
                .is_empty());
            assert!(rec
                .similar_items("mug", &q.clone().check().unwrap())
                .unwrap()
                .is_empty());
            assert!(rec.popular(&q.clone().check().unwrap()).unwrap().is_empty());
        }
    }
}

// ---------------------------------------------------------------------------
// Cold start and ties
// ---------------------------------------------------------------------------

#[test]
fn empty_history_gets_the_popular_order_from_every_model() {
    let rec = shop();
    for model in MODELS {
        let recs = rec
            .recommend(&[], &Query::new(N_ITEMS, model).check().unwrap())
            .unwrap();
        assert_eq!(ids(&recs), POPULAR_ORDER, "{model:?}");
    }
    // Popular: distinct users / 4 (the maximum); desk-lamp filled in with 0.
    let popular = rec
        .recommend(&[], &Query::new(N_ITEMS, Model::Popular).check().unwrap())
        .unwrap();
    assert_eq!(
        scores(&popular),
        [1.0, 0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.0]
    );
    // Hybrid: only popularity speaks, at its default weight.
    let w_popular = BlendWeights::default().popular;
    let hybrid = rec
        .recommend(&[], &Query::new(N_ITEMS, Model::Hybrid).check().unwrap())
        .unwrap();
    for (h, p) in hybrid.iter().zip(&popular) {
        assert!(
            close(h.score, w_popular * p.score),
            "{} {} {}",
            h.id,
            h.score,
            p.score
        );
    }
    // Content and item-kNN know nothing: every item is filled in with 0.
    for model in [Model::Content, Model::ItemKnn] {
        assert!(rec
            .recommend(&[], &Query::new(N_ITEMS, model).check().unwrap())
            .unwrap()
            .iter()
            .all(|r| r.score == 0.0));
    }
    // popular() is the popular model with an empty history, whatever the query's model.
    assert_eq!(
        rec.popular(&Query::new(5, Model::Content).check().unwrap())
            .unwrap(),
        popular[..5].to_vec()
    );
}

#[test]
fn a_history_of_unknown_items_is_a_cold_start() {
    // A stored history outlives catalogue changes: unknown ids are left out.
    let rec = shop();
    for model in MODELS {
        let q = Query::new(6, model);
        let gone = rec
            .recommend(
                &[Event::item("discontinued"), Event::item("also-gone")],
                &q.clone().check().unwrap(),
            )
            .unwrap();
        assert_eq!(
            gone,
            rec.recommend(&[], &q.clone().check().unwrap()).unwrap(),
            "{model:?}"
        );
        let mixed = rec
            .recommend(
                &[Event::item("discontinued"), Event::item("teapot")],
                &q.clone().check().unwrap(),
            )
            .unwrap();
        assert_eq!(
            mixed,
            rec.recommend(&[Event::item("teapot")], &q.clone().check().unwrap())
                .unwrap(),
            "{model:?}"
        );
    }
}

#[test]
fn equal_scores_are_ordered_by_item_index_not_by_id() {
    // bt-sport (index 1) and mug (index 4) both have 3 users: exactly equal scores.
    let rec = shop();
    let recs = rec
        .recommend(
            &[Event::item("bt-earbuds")],
            &Query::new(2, Model::Popular).check().unwrap(),
        )
        .unwrap();
    assert_eq!(ids(&recs), ["bt-sport", "mug"]);
    assert_eq!(recs[0].score, recs[1].score);

    // Four items with identical content; ids in reverse alphabetical order,
    // so an order by id would differ from the order by index.
    let c = Catalogue::from_json(
        r#"[{"id": "q", "tags": ["red", "round"]}, {"id": "c", "tags": ["red", "round"]},
            {"id": "b", "tags": ["red", "round"]}, {"id": "a", "tags": ["red", "round"]}]"#,
        &CatalogueConfig::default(),
    )
    .unwrap();
    let rec = Recommender::fit(c, None, &Default::default()).unwrap();
    for model in [Model::Content, Model::Hybrid] {
        let recs = rec
            .similar_items("q", &Query::new(3, model).check().unwrap())
            .unwrap();
        assert_eq!(ids(&recs), ["c", "b", "a"], "{model:?}");
        assert!(recs[0].score > 0.0);
        assert_eq!(recs[0].score.to_bits(), recs[1].score.to_bits());
        assert_eq!(recs[1].score.to_bits(), recs[2].score.to_bits());
    }
    // Without interactions every popularity is 0: the popular list is the catalogue order.
    let recs = rec
        .recommend(&[], &Query::new(4, Model::Popular).check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["q", "c", "b", "a"]);
    assert!(recs.iter().all(|r| r.score == 0.0 && r.reasons.is_empty()));
}

#[test]
fn an_item_without_interactions_gets_its_content_neighbours_under_hybrid() {
    let rec = shop();
    let recs = rec
        .similar_items("desk-lamp", &Query::new(3, Model::Hybrid).check().unwrap())
        .unwrap();
    // floor-lamp shares category, brand and both tags: the best content match
    // (normalised content score 1) plus popularity 2/4, at the default weights
    // (0.6 · 1 + 0.05 · 0.5 = 0.625). bt-earbuds comes next on popularity
    // alone (0.05 · 1). Nobody interacted with desk-lamp, so the
    // collaborative models add nothing.
    let w = BlendWeights::default();
    assert_eq!(ids(&recs)[..2], ["floor-lamp", "bt-earbuds"]);
    assert!(
        close(recs[0].score, w.content + w.popular * 0.5),
        "{}",
        recs[0].score
    );
    assert!(close(recs[1].score, w.popular), "{}", recs[1].score);
    let shared: Vec<(&str, &str)> = recs[0]
        .reasons
        .iter()
        .filter_map(|r| match r {
            Reason::SharedFeature { field, value, .. } => Some((field.as_str(), value.as_str())),
            _ => None,
        })
        .collect();
    // Values read as the catalogue spells them (they match case-folded).
    assert!(shared.contains(&("category", "Home")), "{shared:?}");
    assert!(shared.contains(&("brand", "Lumo")), "{shared:?}");
    assert!(
        !recs[0]
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::AlsoInteracted { .. })),
        "desk-lamp has no interactions"
    );
    // bt-earbuds shares nothing with a lamp: it is there for its popularity.
    assert_eq!(recs[1].reasons, [Reason::Popular { score: 4.0 }]);

    // Item-kNN alone knows nothing about desk-lamp: popular order, scores 0.
    let knn = rec
        .similar_items(
            "desk-lamp",
            &Query::new(N_ITEMS, Model::ItemKnn).check().unwrap(),
        )
        .unwrap();
    assert_eq!(ids(&knn), POPULAR_ORDER[..11]);
    assert!(knn.iter().all(|r| r.score == 0.0));
}

// ---------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------

#[test]
fn in_stock_filter_applies_before_the_cut() {
    let rec = shop();
    let in_stock = Filter {
        in_stock_only: true,
        ..Default::default()
    };
    // 10 items are in stock; without the filter speaker and kettle are in the top 10.
    let expected: Vec<&str> = POPULAR_ORDER
        .iter()
        .copied()
        .filter(|id| !["speaker", "kettle"].contains(id))
        .collect();
    for model in MODELS {
        let recs = rec
            .recommend(&[], &(query(10, model, in_stock.clone())).check().unwrap())
            .unwrap();
        assert_eq!(ids(&recs), expected, "{model:?}");
        let recs = rec
            .recommend(&[], &(query(20, model, in_stock.clone())).check().unwrap())
            .unwrap();
        assert_eq!(recs.len(), 10, "only 10 pass");
    }
    for (_, history) in user_histories() {
        for model in MODELS {
            let recs = rec
                .recommend(
                    &events(&history),
                    &(query(20, model, in_stock.clone())).check().unwrap(),
                )
                .unwrap();
            let passing = 10
                - history
                    .iter()
                    .filter(|h| !["speaker", "kettle"].contains(&h.as_str()))
                    .count();
            let mut excluded: Vec<&str> = history.iter().map(String::as_str).collect();
            excluded.extend(["speaker", "kettle"]);
            check_list(&recs, &excluded, passing, rec.catalogue());
        }
    }
}

#[test]
fn category_include_and_exclude_apply_before_the_cut() {
    let rec = shop();
    // Case-insensitive: the catalogue says "Kitchen".
    let kitchen = Filter {
        categories: vec!["KITCHEN".into()],
        ..Default::default()
    };
    let recs = rec
        .recommend(
            &[],
            &(query(3, Model::Popular, kitchen.clone())).check().unwrap(),
        )
        .unwrap();
    assert_eq!(ids(&recs), ["mug", "teapot", "kettle"]);
    // Similar items to an audio product, restricted to the kitchen: still 2 items,
    // though the 2 best content matches are audio.
    for model in MODELS {
        let recs = rec
            .similar_items(
                "bt-earbuds",
                &(query(2, model, kitchen.clone())).check().unwrap(),
            )
            .unwrap();
        assert_eq!(recs.len(), 2, "{model:?}");
        assert!(
            recs.iter()
                .all(|r| rec.catalogue().categories(r.index) == ["Kitchen"]),
            "{:?}",
            ids(&recs)
        );
    }
    // u1 bought three of the four audio items: only the speaker is left.
    let audio = Filter {
        categories: vec!["audio".into()],
        ..Default::default()
    };
    let history = events(&["bt-earbuds".into(), "bt-sport".into(), "headphones".into()]);
    for model in MODELS {
        assert_eq!(
            ids(&rec
                .recommend(&history, &(query(5, model, audio.clone())).check().unwrap())
                .unwrap()),
            ["speaker"],
            "{model:?}"
        );
    }
    // Several categories: any of them.
    let two = Filter {
        categories: vec!["home".into(), "sports".into()],
        ..Default::default()
    };
    let recs = rec
        .recommend(&[], &(query(10, Model::Popular, two)).check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["shoes", "bottle", "floor-lamp", "desk-lamp"]);

    let not_audio_or_home = Filter {
        exclude_categories: vec!["Audio".into(), "home".into()],
        ..Default::default()
    };
    for model in MODELS {
        let recs = rec
            .recommend(
                &[],
                &(query(6, model, not_audio_or_home.clone()))
                    .check()
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(
            ids(&recs),
            ["mug", "teapot", "kettle", "grinder", "shoes", "bottle"],
            "{model:?}"
        );
    }
    // A category nobody has: nothing passes.
    let none = Filter {
        categories: vec!["garden".into()],
        ..Default::default()
    };
    assert!(rec
        .recommend(&[], &(query(5, Model::Hybrid, none)).check().unwrap())
        .unwrap()
        .is_empty());
}

#[test]
fn price_range_is_inclusive_and_applies_before_the_cut() {
    let rec = shop();
    let range = Filter {
        min_price: Some(25.0),
        max_price: Some(55.0),
        ..Default::default()
    };
    // Prices: teapot 25, kettle 40, grinder 55, desk-lamp 35; both ends included.
    for model in MODELS {
        let recs = rec
            .recommend(&[], &(query(4, model, range.clone())).check().unwrap())
            .unwrap();
        assert_eq!(
            ids(&recs),
            ["teapot", "kettle", "grinder", "desk-lamp"],
            "{model:?}"
        );
    }
    // The mug's price came as the string "12.50".
    let cheap = Filter {
        max_price: Some(12.5),
        ..Default::default()
    };
    assert_eq!(
        ids(&rec
            .recommend(&[], &(query(5, Model::Hybrid, cheap)).check().unwrap())
            .unwrap()),
        ["mug"]
    );
    let dear = Filter {
        min_price: Some(120.0),
        ..Default::default()
    };
    assert_eq!(
        ids(&rec
            .recommend(&[], &(query(5, Model::Hybrid, dear)).check().unwrap())
            .unwrap()),
        ["bt-earbuds", "bt-sport", "shoes"]
    );
}

#[test]
fn excluded_ids_are_left_out_and_the_list_stays_full() {
    let rec = shop();
    let filter = Filter {
        exclude: vec!["bt-earbuds".into(), "mug".into(), "no-such-item".into()],
        ..Default::default()
    };
    for model in MODELS {
        let recs = rec
            .recommend(&[], &(query(10, model, filter.clone())).check().unwrap())
            .unwrap();
        check_list(&recs, &["bt-earbuds", "mug"], 10, rec.catalogue());
        let recs = rec
            .similar_items(
                "bt-sport",
                &(query(9, model, filter.clone())).check().unwrap(),
            )
            .unwrap();
        check_list(
            &recs,
            &["bt-earbuds", "mug", "bt-sport"],
            9,
            rec.catalogue(),
        );
    }
}

#[test]
fn combined_filters_with_a_history_fill_to_k() {
    let rec = shop();
    // u4 bought mug, grinder, kettle, teapot (all kitchen). In stock and not
    // kitchen: bt-earbuds, bt-sport, headphones, shoes, bottle, floor-lamp, desk-lamp.
    let filter = Filter {
        in_stock_only: true,
        exclude_categories: vec!["kitchen".into()],
        ..Default::default()
    };
    let history = events(&[
        "mug".into(),
        "grinder".into(),
        "kettle".into(),
        "teapot".into(),
    ]);
    let passing = [
        "bt-earbuds",
        "bt-sport",
        "headphones",
        "shoes",
        "bottle",
        "floor-lamp",
        "desk-lamp",
    ];
    for model in MODELS {
        let recs = rec
            .recommend(
                &history,
                &(query(7, model, filter.clone())).check().unwrap(),
            )
            .unwrap();
        let got: BTreeSet<&str> = ids(&recs).into_iter().collect();
        assert_eq!(got, passing.into_iter().collect(), "{model:?}");
        assert!(non_increasing(&recs));
    }
}

#[test]
fn category_filter_works_when_the_category_weight_is_zero() {
    // Weight 0 leaves the field out of similarity, but the filter still sees it.
    let mut config = CatalogueConfig::default();
    config.fields.insert(
        "category".into(),
        FieldConfig {
            role: None,
            weight: Some(0.0),
        },
    );
    let c = Catalogue::from_json(SHOP, &config).unwrap();
    let rec = Recommender::fit(c, None, &Default::default()).unwrap();
    let kitchen = Filter {
        categories: vec!["kitchen".into()],
        ..Default::default()
    };
    let recs = rec
        .recommend(&[], &(query(10, Model::Popular, kitchen)).check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["mug", "teapot", "kettle", "grinder"]);
}

// ---------------------------------------------------------------------------
// Diversity
// ---------------------------------------------------------------------------

/// a1 and a2 are content twins; b is different. Popularity 3, 2, 1.
fn diversity_case() -> Recommender {
    let c = Catalogue::from_json(
        r#"[{"id": "a1", "tags": ["x"]}, {"id": "a2", "tags": ["x"]}, {"id": "b", "tags": ["y"]}]"#,
        &CatalogueConfig::default(),
    )
    .unwrap();
    let log = Interactions::from_csv(
        "user,item\nu1,a1\nu2,a1\nu3,a1\nu1,a2\nu2,a2\nu4,b\n",
        &c,
        &InteractionConfig::default(),
    )
    .unwrap();
    Recommender::fit(c, Some(&log), &Default::default()).unwrap()
}

#[test]
fn diversity_reorders_near_duplicates_by_hand() {
    let rec = diversity_case();
    let plain = rec
        .recommend(&[], &Query::new(3, Model::Popular).check().unwrap())
        .unwrap();
    assert_eq!(ids(&plain), ["a1", "a2", "b"]);
    assert_eq!(scores(&plain), [1.0, 2.0 / 3.0, 1.0 / 3.0]);
    // Diversity 0 is the plain order.
    let zero = rec
        .recommend(
            &[],
            &(Query {
                diversity: 0.0,
                ..Query::new(3, Model::Popular)
            })
            .check()
            .unwrap(),
        )
        .unwrap();
    assert_eq!(zero, plain);
    // Diversity 0.5 (λ = 0.5), after a1: a2 → 0.5·(2/3) − 0.5·1 = −1/6;
    // b → 0.5·(1/3) − 0 = 1/6, so b comes second. Scores are the original ones.
    let diverse = rec
        .recommend(
            &[],
            &(Query {
                diversity: 0.5,
                ..Query::new(3, Model::Popular)
            })
            .check()
            .unwrap(),
        )
        .unwrap();
    assert_eq!(ids(&diverse), ["a1", "b", "a2"]);
    assert_eq!(scores(&diverse), [1.0, 1.0 / 3.0, 2.0 / 3.0]);
    // Diversity 0.2 (λ = 0.8): a2 → 0.8·(2/3) − 0.2 = 1/3 beats b → 0.8·(1/3) = 4/15.
    let mild = rec
        .recommend(
            &[],
            &(Query {
                diversity: 0.2,
                ..Query::new(3, Model::Popular)
            })
            .check()
            .unwrap(),
        )
        .unwrap();
    assert_eq!(ids(&mild), ["a1", "a2", "b"]);
    // k = 2 cuts after the re-ranking.
    let two = rec
        .recommend(
            &[],
            &(Query {
                diversity: 0.5,
                ..Query::new(2, Model::Popular)
            })
            .check()
            .unwrap(),
        )
        .unwrap();
    assert_eq!(ids(&two), ["a1", "b"]);
}

#[test]
fn diversity_keeps_the_invariants_on_the_shop() {
    let rec = shop();
    for model in MODELS {
        for (_, history) in user_histories() {
            let excluded: Vec<&str> = history.iter().map(String::as_str).collect();
            let plain = rec
                .recommend(&events(&history), &Query::new(5, model).check().unwrap())
                .unwrap();
            let zero = rec
                .recommend(
                    &events(&history),
                    &(Query {
                        diversity: 0.0,
                        ..Query::new(5, model)
                    })
                    .check()
                    .unwrap(),
                )
                .unwrap();
            assert_eq!(plain, zero);
            for diversity in [0.3, 1.0] {
                let recs = rec
                    .recommend(
                        &events(&history),
                        &(Query {
                            diversity,
                            ..Query::new(5, model)
                        })
                        .check()
                        .unwrap(),
                    )
                    .unwrap();
                check_list(&recs, &excluded, 5, rec.catalogue());
                // The first pick is always the most relevant item.
                assert_eq!(recs[0].id, plain[0].id, "{model:?} diversity {diversity}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------

#[test]
fn content_results_name_shared_values_including_chinese_bigrams() {
    let rec = shop();
    let recs = rec
        .similar_items(
            "bt-earbuds",
            &Query::new(3, Model::Content).check().unwrap(),
        )
        .unwrap();
    // The other 蓝牙耳机 (Bluetooth earphones) is the best match.
    assert_eq!(recs[0].id, "bt-sport");
    for r in recs.iter().filter(|r| r.score > 0.0) {
        assert!(!r.reasons.is_empty(), "{}", r.id);
        assert!(
            r.reasons
                .iter()
                .all(|x| matches!(x, Reason::SharedFeature { .. })),
            "{:?}",
            r.reasons
        );
    }
    let has = |r: &Recommendation, f: &str, v: &str| {
        r.reasons.iter().any(
            |x| matches!(x, Reason::SharedFeature { field, value, .. } if field == f && value == v),
        )
    };
    assert!(has(&recs[0], "title", "蓝牙"), "{:?}", recs[0].reasons);
    assert!(has(&recs[0], "category", "Audio"), "{:?}", recs[0].reasons);
    // Strongest first.
    let weights: Vec<f32> = recs[0]
        .reasons
        .iter()
        .map(|x| match x {
            Reason::SharedFeature { weight, .. } => *weight,
            _ => unreachable!(),
        })
        .collect();
    assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{weights:?}");

    // Titles only: the two earphones share exactly the bigrams 蓝牙, 牙耳, 耳机.
    let c = Catalogue::from_json(
        r#"[{"id": "e1", "title": "无线蓝牙耳机"}, {"id": "e2", "title": "蓝牙耳机 黑色"}, {"id": "cup", "title": "陶瓷茶杯"}]"#,
        &CatalogueConfig::default(),
    )
    .unwrap();
    let rec = Recommender::fit(c, None, &Default::default()).unwrap();
    let recs = rec
        .similar_items("e1", &Query::new(2, Model::Content).check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["e2", "cup"]);
    let values: BTreeSet<&str> = recs[0]
        .reasons
        .iter()
        .map(|x| match x {
            Reason::SharedFeature { field, value, .. } => {
                assert_eq!(field, "title");
                value.as_str()
            }
            other => panic!("unexpected reason {other:?}"),
        })
        .collect();
    assert_eq!(values, ["蓝牙", "牙耳", "耳机"].into_iter().collect());
    // The tea cup shares nothing and nobody bought anything: score 0, no reasons.
    assert_eq!(recs[1].score, 0.0);
    assert!(recs[1].reasons.is_empty());
}

#[test]
fn item_knn_results_name_history_items() {
    let rec = shop();
    let history = ["bt-earbuds".to_string(), "headphones".to_string()];
    let recs = rec
        .recommend(
            &events(&history),
            &Query::new(5, Model::ItemKnn).check().unwrap(),
        )
        .unwrap();
    assert!(recs[0].score > 0.0);
    for r in recs.iter().filter(|r| r.score > 0.0) {
        assert!(!r.reasons.is_empty(), "{}", r.id);
        for reason in &r.reasons {
            match reason {
                Reason::AlsoInteracted { item, weight, .. } => {
                    assert!(history.contains(item), "{item}");
                    assert!(*weight > 0.0);
                }
                other => panic!("item-kNN gave {other:?}"),
            }
        }
    }
    // The speaker was bought with the earbuds (u2, u3) and with the headphones (u2).
    let speaker = recs
        .iter()
        .find(|r| r.id == "speaker")
        .expect("speaker is recommended");
    let named: BTreeSet<&str> = speaker
        .reasons
        .iter()
        .filter_map(|x| match x {
            Reason::AlsoInteracted { item, .. } => Some(item.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(named, ["bt-earbuds", "headphones"].into_iter().collect());

    // similar_items with item-kNN: exactly the items that share a user with
    // bt-earbuds score above 0, and each names bt-earbuds.
    let recs = rec
        .similar_items(
            "bt-earbuds",
            &Query::new(11, Model::ItemKnn).check().unwrap(),
        )
        .unwrap();
    let positive: BTreeSet<&str> = recs
        .iter()
        .filter(|r| r.score > 0.0)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        positive,
        [
            "bt-sport",
            "headphones",
            "speaker",
            "mug",
            "grinder",
            "floor-lamp"
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(recs[0].score, 1.0, "normalised by the best");
    for r in recs.iter().filter(|r| r.score > 0.0) {
        assert!(
            matches!(&r.reasons[..], [Reason::AlsoInteracted { item, .. }] if item == "bt-earbuds"),
            "{:?}",
            r.reasons
        );
    }
}

#[test]
fn popular_results_carry_their_user_counts_and_explain_false_gives_none() {
    let rec = shop();
    let recs = rec
        .recommend(&[], &Query::new(3, Model::Popular).check().unwrap())
        .unwrap();
    let reasons: Vec<&[Reason]> = recs.iter().map(|r| r.reasons.as_slice()).collect();
    assert_eq!(
        reasons,
        [
            &[Reason::Popular { score: 4.0 }][..],
            &[Reason::Popular { score: 3.0 }],
            &[Reason::Popular { score: 3.0 }]
        ]
    );
    for model in MODELS {
        let q = Query {
            explain: false,
            ..Query::new(5, model)
        };
        let quiet = rec
            .recommend(&[Event::item("mug")], &q.clone().check().unwrap())
            .unwrap();
        assert!(quiet.iter().all(|r| r.reasons.is_empty()));
        // Same items and scores as with explanations.
        let loud = rec
            .recommend(
                &[Event::item("mug")],
                &Query::new(5, model).check().unwrap(),
            )
            .unwrap();
        assert_eq!(ids(&quiet), ids(&loud));
        assert_eq!(scores(&quiet), scores(&loud));
    }
}

// ---------------------------------------------------------------------------
// The blend, by hand
// ---------------------------------------------------------------------------

/// x and y share a tag; x and z share their two users (cosine item-kNN 1).
/// Popularity: x 2, y 1, z 2.
fn blend_case() -> Recommender {
    let c = Catalogue::from_json(
        r#"[{"id": "x", "tags": ["a"]}, {"id": "y", "tags": ["a"]}, {"id": "z", "tags": ["b"]}]"#,
        &CatalogueConfig::default(),
    )
    .unwrap();
    let log = Interactions::from_csv(
        "user,item\nu1,x\nu1,z\nu2,x\nu2,z\nu3,y\n",
        &c,
        &InteractionConfig::default(),
    )
    .unwrap();
    // Weights fixed here (not the defaults): item-kNN 1, content 0.2, popularity 0.1.
    let config = Config::from_json(
        r#"{"itemKnn": {"similarity": "cosine", "shrinkage": 0},
            "hybrid": {"weights": {"itemKnn": 1, "content": 0.2, "popular": 0.1, "sequential": 0, "userKnn": 0, "ease": 0}}}"#,
    )
    .unwrap();
    Recommender::fit(c, Some(&log), &config).unwrap()
}

#[test]
fn hybrid_blend_by_hand() {
    let rec = blend_case();
    // Similar to x, allowed y and z. Each model is normalised by its max:
    // item-kNN z 1; content y 1; popularity y 1/2, z 1.
    // z = 1·1 + 0.1·1 = 1.1; y = 0.2·1 + 0.1·0.5 = 0.25.
    let recs = rec
        .similar_items("x", &Query::new(2, Model::Hybrid).check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["z", "y"]);
    assert!(
        close(recs[0].score, 1.1) && close(recs[1].score, 0.25),
        "{:?}",
        scores(&recs)
    );
    assert!(
        matches!(&recs[0].reasons[..], [Reason::AlsoInteracted { item, weight, .. }] if item == "x" && close(*weight, 1.0)),
        "{:?}",
        recs[0].reasons
    );
    assert!(
        matches!(&recs[1].reasons[..], [Reason::SharedFeature { field, value, weight }] if field == "tags" && value == "a" && close(*weight, 1.0)),
        "{:?}",
        recs[1].reasons
    );
    // A history of x alone gives the same blend.
    let from_history = rec
        .recommend(
            &[Event::item("x")],
            &Query::new(2, Model::Hybrid).check().unwrap(),
        )
        .unwrap();
    assert_eq!(ids(&from_history), ["z", "y"]);
    assert!(close(from_history[0].score, 1.1) && close(from_history[1].score, 0.25));
    // Per-query weights: content only. z is filled in with 0.
    let content_only = Query {
        weights: Some(BlendWeights {
            item_knn: 0.0,
            content: 1.0,
            popular: 0.0,
            sequential: 0.0,
            user_knn: 0.0,
            ..BlendWeights::only(Model::Hybrid)
        }),
        ..Query::new(2, Model::Hybrid)
    };
    let recs = rec
        .similar_items("x", &content_only.clone().check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["y", "z"]);
    assert!(close(recs[0].score, 1.0));
    assert_eq!(recs[1].score, 0.0);
    // Configured weights instead of the defaults.
    let c = rec.catalogue().clone();
    let log = Interactions::from_csv(
        "user,item\nu1,x\nu1,z\nu2,x\nu2,z\nu3,y\n",
        &c,
        &InteractionConfig::default(),
    )
    .unwrap();
    let config = Config::from_json(r#"{"itemKnn": {"similarity": "cosine"}, "hybrid": {"weights": {"itemKnn": 0.1, "content": 1, "popular": 0, "sequential": 0, "userKnn": 0, "ease": 0}}}"#).unwrap();
    let rec2 = Recommender::fit(c, Some(&log), &config).unwrap();
    let recs = rec2
        .similar_items("x", &Query::new(2, Model::Hybrid).check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["y", "z"]);
    assert!(
        close(recs[0].score, 1.0) && close(recs[1].score, 0.1),
        "{:?}",
        scores(&recs)
    );
    // Popular model: z 2/2, y 1/2.
    let recs = rec
        .similar_items("x", &Query::new(2, Model::Popular).check().unwrap())
        .unwrap();
    assert_eq!(ids(&recs), ["z", "y"]);
    assert_eq!(scores(&recs), [1.0, 0.5]);
}

#[test]
fn a_fit_plan_fits_only_what_the_query_needs_and_answers_the_same() {
    let catalogue = shop_catalogue();
    let log = shop_log(&catalogue);
    let config = pocketrec::config::CheckedConfig::default();
    let whole = shop();
    let clock = std::cell::Cell::new(0.0);
    let tick = || {
        clock.set(clock.get() + 1.0);
        clock.get()
    };
    for model in MODELS {
        let q = Query::new(6, model).check().unwrap();
        let plan = FitPlan::for_query(&q, &config.hybrid.weights);
        let fitted = fit(catalogue.clone(), Some(&log), &config, &plan, &tick).unwrap();
        let kinds: Vec<Model> = fitted
            .recommender
            .models()
            .iter()
            .map(|m| m.kind())
            .collect();
        assert_eq!(kinds, plan.models(), "{model:?}");
        if model != Model::Hybrid {
            assert_eq!(
                kinds.len(),
                1 + usize::from(model != Model::Popular),
                "{model:?}: {kinds:?}"
            );
        }
        // One clock tick per step: each fitted model took one second.
        assert!(fitted.report.models.iter().all(|&(_, s)| s == 1.0));
        assert_eq!(
            fitted
                .recommender
                .recommend(&[Event::item("teapot")], &q)
                .unwrap(),
            whole.recommend(&[Event::item("teapot")], &q).unwrap()
        );
    }
    assert!(whole.model::<ItemKnn>().is_some_and(|k| k.link_count() > 0));
    // A reused model is taken as it is, not fitted (no time reported).
    let content: std::sync::Arc<dyn pocketrec::models::Scorer> =
        std::sync::Arc::new(ContentModel::fit(&catalogue, &config.content));
    let plan = FitPlan::of(&[Model::Content]).reusing([content.clone()]);
    let fitted = fit(catalogue, None, &config, &plan, &tick).unwrap();
    assert!(std::sync::Arc::ptr_eq(
        &fitted.recommender.models()[0],
        &content
    ));
    assert_eq!(fitted.report.models.len(), 1, "only popularity was fitted");
}

#[test]
fn queries_parse_from_browser_json() {
    let q: Query = serde_json::from_str(r#"{"k": 3, "model": "item-knn", "filter": {"inStockOnly": true, "categories": ["audio"]}, "diversity": 0.25}"#).unwrap();
    assert_eq!(q.k, 3);
    assert_eq!(q.model, Model::ItemKnn);
    assert!(q.filter.in_stock_only);
    assert!(q.explain, "explain defaults to true");
    let q: Query = serde_json::from_str(r#"{"model": "itemKnn"}"#).unwrap();
    assert_eq!((q.k, q.model), (10, Model::ItemKnn));
    assert!(
        serde_json::from_str::<Query>(r#"{"kk": 3}"#).is_err(),
        "unknown keys are refused"
    );
    assert_eq!("content".parse::<Model>().unwrap(), Model::Content);
    let e = "svd".parse::<Model>().unwrap_err();
    assert_eq!(e.code(), "invalid_config");
    assert!(
        e.to_string().contains(
            "accepted: popular, content, item-knn, user-knn, sequential, ease, als, hybrid"
        ),
        "{e}"
    );
}

#[test]
fn time_decay_favours_recent_history() {
    // Two histories of the same items, one with the kitchen item recent,
    // one with the audio item recent: a short half-life follows the recent one.
    let rec = shop();
    let day = 86_400;
    let audio_recent = [
        Event {
            timestamp: Some(0),
            ..Event::item("mug")
        },
        Event {
            timestamp: Some(30 * day),
            ..Event::item("headphones")
        },
    ];
    let kitchen_recent = [
        Event {
            timestamp: Some(30 * day),
            ..Event::item("mug")
        },
        Event {
            timestamp: Some(0),
            ..Event::item("headphones")
        },
    ];
    let q = Query {
        half_life_days: Some(1.0),
        ..Query::new(1, Model::Content)
    };
    let top = |h: &[Event]| {
        rec.recommend(h, &q.clone().check().unwrap()).unwrap()[0]
            .id
            .clone()
    };
    assert_eq!(
        rec.catalogue()
            .categories(rec.catalogue().index_of(&top(&audio_recent)).unwrap()),
        ["Audio"]
    );
    assert_eq!(
        rec.catalogue()
            .categories(rec.catalogue().index_of(&top(&kitchen_recent)).unwrap()),
        ["Kitchen"]
    );
}

// ---------------------------------------------------------------------------
// Errors of the query API
// ---------------------------------------------------------------------------

#[test]
fn unknown_item_in_similar_items() {
    let rec = shop();
    for model in MODELS {
        let e = rec
            .similar_items("no-such-item", &Query::new(3, model).check().unwrap())
            .unwrap_err();
        assert_eq!(e, Error::UnknownItem("no-such-item".into()));
        assert_eq!(e.code(), "unknown_item");
        assert_eq!(e.to_string(), r#"unknown item id "no-such-item""#);
    }
    // Ids are trimmed (one rule everywhere, see data::catalogue), never case-folded.
    assert_eq!(
        rec.similar_items("MUG", &Query::default().check().unwrap())
            .unwrap_err()
            .code(),
        "unknown_item"
    );
    let q = Query::default().check().unwrap();
    assert_eq!(
        rec.similar_items(" mug", &q).unwrap(),
        rec.similar_items("mug", &q).unwrap()
    );
}

#[test]
fn bad_query_options_are_refused() {
    let rec = shop();
    let cases: Vec<(Query, &str)> = vec![
        (
            Query::new(100_001, Model::Hybrid),
            "config k: must be at most 100000, got 100001",
        ),
        (
            Query {
                diversity: 1.5,
                ..Query::default()
            },
            "config diversity: must be between 0 and 1, got 1.5",
        ),
        (
            Query {
                diversity: f32::NAN,
                ..Query::default()
            },
            "config diversity: must be between 0 and 1, got NaN",
        ),
        (
            Query {
                half_life_days: Some(0.0),
                ..Query::default()
            },
            "config halfLifeDays: must be a number of days > 0, got 0",
        ),
        (
            Query {
                weights: Some(BlendWeights {
                    item_knn: 1.0,
                    content: -0.5,
                    popular: 0.1,
                    sequential: 0.0,
                    user_knn: 0.0,
                    ..BlendWeights::only(Model::Hybrid)
                }),
                ..Query::default()
            },
            "config hybrid.weights.content: must be a finite number ≥ 0, got -0.5",
        ),
        (
            Query {
                filter: Filter {
                    min_price: Some(9.0),
                    max_price: Some(1.0),
                    ..Default::default()
                },
                ..Query::default()
            },
            "config filter.minPrice: must be ≤ maxPrice (1), got 9",
        ),
        (
            Query {
                filter: Filter {
                    max_price: Some(f64::INFINITY),
                    ..Default::default()
                },
                ..Query::default()
            },
            "config filter.maxPrice: must be a finite number, got inf",
        ),
    ];
    // Checked once, at the edge: the recommender only takes checked queries.
    for (q, message) in cases {
        let e = q.check().unwrap_err();
        assert_eq!(e.code(), "invalid_config");
        assert_eq!(e.to_string(), message);
    }
    // The largest k accepted works.
    assert_eq!(
        rec.recommend(&[], &Query::new(100_000, Model::Hybrid).check().unwrap())
            .unwrap()
            .len(),
        N_ITEMS
    );
}

#[test]
fn recommender_and_models_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Recommender>();
    assert_send_sync::<Catalogue>();
    assert_send_sync::<ContentModel>();
    assert_send_sync::<ItemKnn>();
    assert_send_sync::<Popularity>();
    assert_send_sync::<Interactions>();
    assert_send_sync::<Config>();
    assert_send_sync::<Query>();
    assert_send_sync::<Recommendation>();
    assert_send_sync::<Error>();
    // And usable from threads at once.
    let rec = shop();
    let expected = rec
        .recommend(
            &[Event::item("mug")],
            &Query::new(5, Model::Hybrid).check().unwrap(),
        )
        .unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    rec.recommend(
                        &[Event::item("mug")],
                        &Query::new(5, Model::Hybrid).check().unwrap(),
                    )
                    .unwrap()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), expected);
        }
    });
}

#[test]
fn catalogue_columns_are_exposed_in_item_order() {
    let c = shop_catalogue();
    let tags = c.fields().iter().find(|f| f.name == "tags").unwrap();
    match &tags.values {
        FieldValues::Categorical(v) => {
            assert_eq!(v.len(), N_ITEMS);
            assert_eq!(v[0], ["wireless", "bluetooth"]);
            assert_eq!(v[11], ["lighting", "led"]);
        }
        other => panic!("tags read as {other:?}"),
    }
    assert_eq!(tags.weight, 0.8);
}

#[test]
fn sequential_follows_the_order_of_choices_and_explains_it() {
    // Three shoppers choose `mug` then `teapot`; one chooses `teapot` then `kettle`.
    // After `mug`, the sequential model puts `teapot` first, because of `mug`;
    // after `teapot`, it does not go back to `mug`.
    let catalogue = shop_catalogue();
    let csv = "user,item,timestamp\na,mug,1\na,teapot,2\nb,mug,1\nb,teapot,5\nc,mug,3\nc,teapot,4\nd,teapot,1\nd,kettle,2\n";
    let log = Interactions::from_csv(csv, &catalogue, &InteractionConfig::default()).unwrap();
    let rec = Recommender::fit(catalogue, Some(&log), &Default::default()).unwrap();
    let q = Query::new(3, Model::Sequential);
    let after_mug = rec
        .recommend(&[Event::item("mug")], &q.clone().check().unwrap())
        .unwrap();
    assert_eq!(after_mug[0].id, "teapot");
    assert!(after_mug[0].score > 0.0);
    assert!(
        matches!(&after_mug[0].reasons[0], Reason::ChosenAfter { item, .. } if item == "mug"),
        "{:?}",
        after_mug[0].reasons
    );
    let after_teapot = rec
        .recommend(&[Event::item("teapot")], &q.clone().check().unwrap())
        .unwrap();
    assert_eq!(after_teapot[0].id, "kettle");
    assert!(after_teapot
        .iter()
        .filter(|r| r.score > 0.0)
        .all(|r| r.id != "mug"));
    // The latest items weigh most: mug (old) then teapot (new) leads to kettle.
    let both = [
        Event {
            timestamp: Some(10),
            ..Event::item("mug")
        },
        Event {
            timestamp: Some(20),
            ..Event::item("teapot")
        },
    ];
    assert_eq!(
        rec.recommend(&both, &q.clone().check().unwrap()).unwrap()[0].id,
        "kettle"
    );
}

#[test]
fn user_knn_votes_of_similar_shoppers_and_counts_them_without_names() {
    // Shoppers a, b and c chose mug and teapot; a and b also chose kettle;
    // d chose only grinder. A history of {mug, teapot} resembles a, b and c,
    // so kettle (2 of them) comes first and grinder gets no vote.
    let catalogue = shop_catalogue();
    let csv = "user,item\na,mug\na,teapot\na,kettle\nb,mug\nb,teapot\nb,kettle\nc,mug\nc,teapot\nd,grinder\n";
    let log = Interactions::from_csv(csv, &catalogue, &InteractionConfig::default()).unwrap();
    let rec = Recommender::fit(catalogue, Some(&log), &Default::default()).unwrap();
    let recs = rec
        .recommend(
            &[Event::item("mug"), Event::item("teapot")],
            &Query::new(3, Model::UserKnn).check().unwrap(),
        )
        .unwrap();
    assert_eq!(recs[0].id, "kettle");
    assert!(recs[0].score > 0.0);
    assert!(recs
        .iter()
        .filter(|r| r.score > 0.0)
        .all(|r| r.id != "grinder"));
    assert_eq!(recs[0].reasons[0], Reason::SimilarShoppers { count: 2 });
    let json = serde_json::to_string(&recs[0].reasons).unwrap();
    assert!(
        !json.contains("\"a\"") && !json.contains("\"b\""),
        "no shopper ids leak: {json}"
    );
}

#[test]
fn a_training_user_is_not_their_own_neighbour() {
    // With one neighbour, shopper c (mug, teapot) used to find only
    // themself and get nothing but popularity fill; now a or b votes kettle.
    let catalogue = shop_catalogue();
    let csv = "user,item\na,mug\na,teapot\na,kettle\nb,mug\nb,teapot\nb,kettle\nc,mug\nc,teapot\nd,grinder\n";
    let log = Interactions::from_csv(csv, &catalogue, &InteractionConfig::default()).unwrap();
    let config = Config::from_json(r#"{"userKnn": {"neighbours": 1}}"#).unwrap();
    let fitted = fit(catalogue, Some(&log), &config, &FitPlan::all(), &|| 0.0).unwrap();
    let c = log.user_index("c").unwrap();
    let ui = fitted.user_items.as_ref().unwrap();
    let history = pocketrec::data::history::decay(ui.history(c as usize).collect(), None, None);
    let q = Query::new(2, Model::UserKnn).check().unwrap();
    let recs = fitted
        .recommender
        .recommend_history(&history, Some(c), &q)
        .unwrap();
    assert_eq!(recs[0].id, "kettle");
    assert!(recs[0].score > 0.0, "{recs:?}");
    assert_eq!(recs[0].reasons[0], Reason::SimilarShoppers { count: 1 });
}

#[test]
fn search_returns_matching_items_filtered_and_explained() {
    let rec = shop();
    let q = Query::new(5, Model::Hybrid);
    let hits = rec.search("蓝牙耳机", &q.clone().check().unwrap()).unwrap();
    assert!(!hits.is_empty() && hits.len() <= 2, "{hits:?}");
    for h in &hits {
        assert!(h.score > 0.0);
        assert!(
            h.reasons
                .iter()
                .any(|r| matches!(r, Reason::SharedFeature { value, .. } if value == "蓝牙")),
            "{:?}",
            h.reasons
        );
    }
    // Filters apply; nothing that does not match is padded in.
    let none = Query {
        filter: Filter {
            categories: vec!["kitchen".into()],
            ..Default::default()
        },
        ..q.clone()
    };
    assert!(rec
        .search("蓝牙耳机", &none.clone().check().unwrap())
        .unwrap()
        .is_empty());
    assert!(rec
        .search("no such words", &q.clone().check().unwrap())
        .unwrap()
        .is_empty());
    assert!(rec
        .search("", &q.clone().check().unwrap())
        .unwrap()
        .is_empty());
    // Deterministic.
    assert_eq!(
        rec.search("mug", &q.clone().check().unwrap()).unwrap(),
        rec.search("mug", &q.clone().check().unwrap()).unwrap()
    );
}
