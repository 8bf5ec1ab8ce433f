//! The model index: built, written, opened and served; its privacy rules;
//! its errors for missing, corrupt or foreign files.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;
use pocketrec::config::Config;
use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
use pocketrec::data::history::Event;
use pocketrec::data::interactions::{InteractionConfig, Interactions};
use pocketrec::index::shards::ShardKind;
use pocketrec::index::{build, open, open_partial, BuildOptions, BuiltIndex, OpenedIndex, Request};
use pocketrec::models::content::ContentModel;
use pocketrec::models::item_knn::ItemKnn;
use pocketrec::models::sequential::Sequential;
use pocketrec::privacy::PrivacyConfig;
use pocketrec::recommend::fit::no_clock;
use pocketrec::recommend::CheckedQuery;
use pocketrec::recommend::{Model, Query};

fn config(privacy: PrivacyConfig) -> pocketrec::config::CheckedConfig {
    Config {
        privacy,
        ..Config::default()
    }
    .check()
    .unwrap()
}

/// No privacy rule at all: the index must answer as the live fit does.
fn no_rules() -> PrivacyConfig {
    PrivacyConfig {
        min_support: 1,
        max_items_per_shopper: 100_000,
        ..PrivacyConfig::default()
    }
}

fn build_shop(privacy: PrivacyConfig, options: &BuildOptions) -> BuiltIndex {
    let catalogue = shop_catalogue();
    let log = shop_log(&catalogue);
    build(catalogue, Some(&log), &config(privacy), options, &no_clock).unwrap()
}

fn open_files(files: &[(String, Vec<u8>)]) -> pocketrec::Result<OpenedIndex> {
    let map: HashMap<&str, &Vec<u8>> = files.iter().map(|(n, b)| (n.as_str(), b)).collect();
    let mut read = |name: &str| {
        map.get(name)
            .map(|b| b.to_vec())
            .ok_or_else(|| pocketrec::Error::BadIndex {
                file: name.to_string(),
                message: "missing".into(),
            })
    };
    open(&files[0].1, &mut read)
}

fn ids(recs: &[pocketrec::recommend::Recommendation]) -> Vec<&str> {
    recs.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn without_rules_an_index_answers_as_the_live_fit() {
    let live = pocketrec::recommend::Recommender::fit(
        shop_catalogue(),
        Some(&shop_log(&shop_catalogue())),
        &config(no_rules()),
    )
    .unwrap();
    // Small shards, so every kind spans several files; content ranked by
    // its vectors (content links approximate them: see below).
    let options = BuildOptions {
        shard_items: 5,
        shard_features: 7,
        content_links: 0,
        ..BuildOptions::default()
    };
    let built = build_shop(no_rules(), &options);
    assert!(built.files.len() > 10, "{} files", built.files.len());
    let served = open_files(&built.files).unwrap().recommender;
    // Content is stored as feature counts and weighed again on opening:
    // the vectors are the live fit's, bit for bit.
    let (a, b) = (
        live.model::<ContentModel>().unwrap(),
        served.model::<ContentModel>().unwrap(),
    );
    assert_eq!(a.features(), b.features());
    for i in 0..12 {
        assert_eq!(a.vector(i), b.vector(i), "item {i}");
    }
    assert_eq!(
        built.manifest.models,
        [
            Model::ItemKnn,
            Model::Ease,
            Model::Als,
            Model::Sequential,
            Model::Content,
            Model::Popular
        ]
    );
    for model in [
        Model::ItemKnn,
        Model::Ease,
        Model::Als,
        Model::Sequential,
        Model::Content,
        Model::Popular,
    ] {
        let q = Query::new(5, model).check().unwrap();
        for item in ["mug", "bt-earbuds", "floor-lamp"] {
            let (a, b) = (
                live.similar_items(item, &q).unwrap(),
                served.similar_items(item, &q).unwrap(),
            );
            assert_eq!(ids(&a), ids(&b), "{model:?} similar to {item}");
            assert_eq!(
                a.iter().map(|r| &r.reasons).collect::<Vec<_>>().len(),
                b.len()
            );
            // ALS's factors are published in 8 bits: scores within 2%.
            let tolerance = if model == Model::Als { 0.02 } else { 1e-3 };
            for (x, y) in a.iter().zip(&b) {
                assert!(
                    (x.score - y.score).abs() < tolerance * x.score.abs().max(1.0),
                    "{model:?} {item}: {} vs {}",
                    x.score,
                    y.score
                );
                assert_eq!(x.reasons.len(), y.reasons.len(), "{model:?} {item} reasons");
            }
        }
    }
    // Hybrid without user-kNN (an index never holds it).
    let history = [pocketrec::data::history::Event::item("mug")];
    let q = Query::new(6, Model::Hybrid).check().unwrap();
    let served_recs = served.recommend(&history, &q).unwrap();
    let mut weights = live.config().hybrid.weights.clone();
    weights.user_knn = 0.0;
    let q_live = Query {
        weights: Some(weights),
        ..Query::new(6, Model::Hybrid)
    }
    .check()
    .unwrap();
    assert_eq!(
        ids(&live.recommend(&history, &q_live).unwrap()),
        ids(&served_recs)
    );
    // Search and display fields come back too.
    let q = Query::new(3, Model::Content).check().unwrap();
    assert_eq!(
        ids(&live.search("ceramic", &q).unwrap()),
        ids(&served.search("ceramic", &q).unwrap())
    );
    for i in 0..live.catalogue().len() as u32 {
        assert_eq!(live.catalogue().display(i), served.catalogue().display(i));
        assert_eq!(
            live.catalogue().categories(i),
            served.catalogue().categories(i)
        );
        assert_eq!(live.catalogue().price(i), served.catalogue().price(i));
    }
}

#[test]
fn content_links_rank_similar_items_as_the_vectors_do() {
    let vectors = build_shop(
        no_rules(),
        &BuildOptions {
            content_links: 0,
            ..BuildOptions::default()
        },
    );
    let links = build_shop(no_rules(), &BuildOptions::default());
    assert!(links.manifest.counts.content_links > 0);
    let (a, b) = (
        open_files(&vectors.files).unwrap().recommender,
        open_files(&links.files).unwrap().recommender,
    );
    assert!(b.model::<ContentModel>().is_none() && b.content_vectors().is_some());
    // One item, k ≤ K: the lists hold its top K, so the same ranking, and
    // the reasons are the features the links were explained by.
    let q = Query::new(5, Model::Content).check().unwrap();
    for i in 0..a.catalogue().len() as u32 {
        let id = a.catalogue().id(i);
        let (x, y) = (
            a.similar_items(id, &q).unwrap(),
            b.similar_items(id, &q).unwrap(),
        );
        assert_eq!(ids(&x), ids(&y), "similar to {id}");
        for (r, s) in x.iter().zip(&y) {
            if r.score > 0.0 {
                assert!((r.score - s.score).abs() < 1e-3, "{id}");
                let first = |rs: &[pocketrec::recommend::Reason]| rs.first().cloned();
                let field = |reason: Option<pocketrec::recommend::Reason>| match reason {
                    Some(pocketrec::recommend::Reason::SharedFeature { field, value, .. }) => {
                        Some((field, value))
                    }
                    _ => None,
                };
                assert_eq!(field(first(&r.reasons)), field(first(&s.reasons)), "{id}");
            }
        }
    }
    // Search and diversity still use the vectors.
    assert_eq!(
        ids(&a.search("ceramic", &q).unwrap()),
        ids(&b.search("ceramic", &q).unwrap())
    );
}

/// Reads the built files, recording the kind of each file read.
struct Reads<'a> {
    map: HashMap<&'a str, &'a Vec<u8>>,
    log: std::cell::RefCell<Vec<String>>,
}

impl<'a> Reads<'a> {
    fn new(built: &'a BuiltIndex) -> Reads<'a> {
        Reads {
            map: built.files.iter().map(|(n, b)| (n.as_str(), b)).collect(),
            log: Default::default(),
        }
    }

    fn read(&self, name: &str) -> pocketrec::Result<Vec<u8>> {
        self.log.borrow_mut().push(name.to_string());
        self.map
            .get(name)
            .map(|b| b.to_vec())
            .ok_or_else(|| pocketrec::Error::BadIndex {
                file: name.to_string(),
                message: "missing".into(),
            })
    }
}

fn kinds(files: &[String]) -> Vec<&str> {
    files
        .iter()
        .map(|f| f.rsplit_once('-').unwrap().0)
        .collect()
}

/// Opens the named files of a partly opened index.
fn open_named(index: &mut OpenedIndex, files: &[String], reads: &Reads) -> usize {
    let at_hand = |f: &str| files.iter().any(|g| g == f);
    index.open_files(&at_hand, &mut |f| reads.read(f)).unwrap()
}

/// Serves a request as a page does: the missing files, stage by stage;
/// returns the kinds fetched in each round.
fn serve(
    index: &mut OpenedIndex,
    request: &Request,
    q: &CheckedQuery,
    reads: &Reads,
) -> Vec<Vec<String>> {
    let mut rounds = Vec::new();
    loop {
        let files = index.missing(request, q);
        if files.is_empty() {
            return rounds;
        }
        open_named(index, &files, reads);
        rounds.push(kinds(&files).iter().map(|k| k.to_string()).collect());
        assert!(rounds.len() <= 3, "{rounds:?}");
    }
}

#[test]
fn a_partly_opened_index_fetches_only_what_each_query_needs() {
    // Lists in shards of 4 items, items in shards of 2, ids in 3 buckets,
    // the 3 most popular items in popularity's first shard.
    let options = BuildOptions {
        shard_links: 4,
        shard_items: 2,
        popularity_head: 3,
        shard_terms: 20,
        ..BuildOptions::default()
    };
    let built = build_shop(no_rules(), &options);
    assert_eq!(built.manifest.counts.id_buckets, 3);
    let eager = open_files(&built.files).unwrap().recommender;
    let reads = Reads::new(&built);
    let mut index = open_partial(&built.files[0].1, &mut |f| reads.read(f), &[]).unwrap();
    // Opening reads popularity's first ranks only; no item is known yet.
    assert_eq!(kinds(&reads.log.borrow()), ["popularity"]);
    assert_eq!(index.recommender.catalogue().index_of("mug"), None);
    let head = index.recommender.popularity().scores().to_vec();
    assert_eq!(head.iter().filter(|&&s| s > 0.0).count(), 3, "{head:?}");
    // Trending: the ranks it may fill from (50 at least: all 12 here), the
    // items shards of its results; then it answers as the whole index does.
    let trending = Query::new(2, Model::Popular).check().unwrap();
    let rounds = serve(&mut index, &Request::Popular, &trending, &reads);
    assert_eq!(rounds.len(), 2, "{rounds:?}");
    assert!(rounds[0].iter().all(|k| k == "popularity"), "{rounds:?}");
    assert!(rounds[1].iter().all(|k| k == "items"), "{rounds:?}");
    assert_eq!(
        index.recommender.popularity().scores(),
        eager.popularity().scores()
    );
    assert_eq!(
        index.answer(&Request::Popular, &trending).unwrap(),
        eager.popular(&trending).unwrap()
    );
    // Item-kNN for one product: its id's bucket, then its list shard, then
    // the items shards of what it shows.
    let knn = Query::new(4, Model::ItemKnn).check().unwrap();
    let similar = Request::Similar("mug");
    let rounds = serve(&mut index, &similar, &knn, &reads);
    assert_eq!(rounds[0], ["ids"]);
    assert_eq!(rounds[1], ["item-knn"]);
    assert!(rounds[2].iter().all(|k| k == "items"), "{rounds:?}");
    assert_eq!(
        index.answer(&similar, &knn).unwrap(),
        eager.similar_items("mug", &knn).unwrap()
    );
    // The hybrid for every product, and a history across list shards.
    let hybrid = Query::new(5, Model::Hybrid).check().unwrap();
    for item in 0..12u32 {
        let id = eager.catalogue().id(item);
        serve(&mut index, &Request::Similar(id), &hybrid, &reads);
        assert_eq!(
            index.answer(&Request::Similar(id), &hybrid).unwrap(),
            eager.similar_items(id, &hybrid).unwrap(),
            "{id}"
        );
    }
    let shopper: Vec<Event> = ["mug", eager.catalogue().id(9)]
        .iter()
        .map(|&id| Event::item(id))
        .collect();
    serve(&mut index, &Request::Recommend(&shopper), &hybrid, &reads);
    assert_eq!(
        index
            .answer(&Request::Recommend(&shopper), &hybrid)
            .unwrap(),
        eager.recommend(&shopper, &hybrid).unwrap()
    );
    // Search reads the postings of its words only (the features came with
    // the links), and answers as the vectors do, up to 16-bit weights.
    for text in ["ceramic", "electric kettle", "bluetooth"] {
        let search = Request::Search(text);
        let rounds = serve(&mut index, &search, &hybrid, &reads);
        assert!(
            rounds
                .iter()
                .flatten()
                .all(|k| k == "terms" || k == "items"),
            "{rounds:?}"
        );
        let (a, b) = (
            index.answer(&search, &hybrid).unwrap(),
            eager.search(text, &hybrid).unwrap(),
        );
        assert_eq!(ids(&a), ids(&b), "{text}");
        for (x, y) in a.iter().zip(&b) {
            assert!(
                (x.score - y.score).abs() < 1e-4,
                "{text}: {} vs {}",
                x.score,
                y.score
            );
            assert_eq!(x.reasons.len(), y.reasons.len(), "{text}");
        }
    }
    let terms = built.manifest.shards_of(ShardKind::Terms).count();
    let read_terms = kinds(&reads.log.borrow())
        .iter()
        .filter(|&&k| k == "terms")
        .count();
    assert!(read_terms < terms, "{read_terms} of {terms} terms shards");
    // Diversity still reads the content vectors, whole.
    let mut diverse = Query::new(3, Model::Hybrid);
    diverse.diversity = 0.5;
    let diverse = diverse.check().unwrap();
    let rounds = serve(&mut index, &Request::Similar("mug"), &diverse, &reads);
    assert_eq!(rounds[0], ["content"], "{rounds:?}");
    assert_eq!(
        index.answer(&Request::Similar("mug"), &diverse).unwrap(),
        eager.similar_items("mug", &diverse).unwrap()
    );
    // A filter on item fields reads every item's record.
    let mut in_stock = Query::new(3, Model::Popular);
    in_stock.filter.in_stock_only = true;
    let in_stock = in_stock.check().unwrap();
    serve(&mut index, &Request::Popular, &in_stock, &reads);
    assert!(index
        .recommender
        .catalogue()
        .ids()
        .iter()
        .all(|id| !id.is_empty()));
    // Each file was read once.
    let mut read = reads.log.borrow().clone();
    let total = read.len();
    read.sort();
    read.dedup();
    assert_eq!(read.len(), total, "a file was read twice");
}

#[test]
fn a_bad_shard_opened_per_query_loses_its_model_or_fails_its_query() {
    let built = build_shop(no_rules(), &BuildOptions::default());
    let reads = Reads::new(&built);
    let failing = |kind: &'static str| {
        let reads = &reads;
        move |name: &str| -> pocketrec::Result<Vec<u8>> {
            if name.starts_with(kind) {
                return Err(pocketrec::Error::BadIndex {
                    file: name.to_string(),
                    message: "missing".into(),
                });
            }
            reads.read(name)
        }
    };
    let hybrid = Query::new(5, Model::Hybrid).check().unwrap();
    // Content links lost: the model is left out and named; the others answer.
    let mut read = failing("content-links-");
    let mut index = open_partial(&built.files[0].1, &mut read, &[]).unwrap();
    let request = Request::Similar("mug");
    for _ in 0..3 {
        let files = index.missing(&request, &hybrid);
        let at_hand = |f: &str| files.iter().any(|g| g == f);
        index.open_files(&at_hand, &mut read).unwrap();
    }
    assert_eq!(index.problems[0].0, Model::Content);
    assert!(index.problems[0].1.to_string().contains("content-links-"));
    assert!(index.missing(&request, &hybrid).is_empty());
    assert!(!index.answer(&request, &hybrid).unwrap().is_empty());
    // An ids or items shard lost: the request fails, naming the file.
    for kind in ["ids-", "items-"] {
        let mut read = failing(kind);
        let mut index = open_partial(&built.files[0].1, &mut read, &[]).unwrap();
        let e = (0..3)
            .find_map(|_| {
                let files = index.missing(&request, &hybrid);
                let at_hand = |f: &str| files.iter().any(|g| g == f);
                index.open_files(&at_hand, &mut read).err()
            })
            .unwrap();
        assert_eq!(e.code(), "bad_index");
        assert!(e.to_string().contains(kind), "{e}");
    }
}

#[test]
fn the_same_inputs_give_byte_identical_files() {
    let a = build_shop(PrivacyConfig::default(), &BuildOptions::default());
    let b = build_shop(PrivacyConfig::default(), &BuildOptions::default());
    assert_eq!(a.files, b.files);
    // With differential privacy, the same noise seed gives the same files.
    let dp = PrivacyConfig {
        epsilon: Some(4.0),
        ..PrivacyConfig::default()
    };
    let seeded = BuildOptions {
        noise_seed: 9,
        ..BuildOptions::default()
    };
    assert_eq!(
        build_shop(dp.clone(), &seeded).files,
        build_shop(dp, &seeded).files
    );
}

/// A shop where six shoppers buy a mug and then a teapot, and one shopper
/// alone buys a kettle and then a lamp (others buy those singly).
fn solo_shop() -> (Catalogue, Interactions) {
    let catalogue = Catalogue::from_json(
        r#"[{"id": "mug", "title": "Mug"}, {"id": "teapot", "title": "Teapot"},
            {"id": "kettle", "title": "Kettle"}, {"id": "lamp", "title": "Lamp"}]"#,
        &CatalogueConfig::default(),
    )
    .unwrap();
    let mut csv = String::from("user,item,timestamp\n");
    for u in 0..6 {
        csv += &format!("shopper-alpha-{u},mug,2024-03-0{} 10:00\n", u + 1);
        csv += &format!("shopper-alpha-{u},teapot,2024-03-0{} 11:00\n", u + 1);
        csv += &format!("shopper-beta-{u},kettle,2024-04-0{} 09:15\n", u + 1);
        csv += &format!("shopper-gamma-{u},lamp,2024-04-0{} 09:45\n", u + 1);
    }
    csv += "lonely-shopper-zq,kettle,2024-05-17 08:31\n";
    csv += "lonely-shopper-zq,lamp,2024-05-17 08:32\n";
    let log = Interactions::from_csv(csv, &catalogue, &InteractionConfig::default()).unwrap();
    (catalogue, log)
}

#[test]
fn a_pair_one_shopper_alone_made_is_not_published() {
    let (catalogue, log) = solo_shop();
    let built = build(
        catalogue,
        Some(&log),
        &config(PrivacyConfig::default()),
        &BuildOptions::default(),
        &no_clock,
    )
    .unwrap();
    let rec = open_files(&built.files).unwrap().recommender;
    let index = |id| rec.catalogue().index_of(id).unwrap();
    let knn = rec.model::<ItemKnn>().unwrap();
    let seq = rec.model::<Sequential>().unwrap();
    let (kettle, lamp, mug, teapot) = (
        index("kettle"),
        index("lamp"),
        index("mug"),
        index("teapot"),
    );
    assert!(!knn.neighbours(kettle).0.contains(&lamp));
    assert!(!knn.neighbours(lamp).0.contains(&kettle));
    assert!(!seq.successors(kettle).0.contains(&lamp));
    // Six shoppers support mug–teapot: it is published, both ways.
    assert!(knn.neighbours(mug).0.contains(&teapot));
    assert!(knn.neighbours(teapot).0.contains(&mug));
    assert!(seq.successors(mug).0.contains(&teapot));
    let s = &built.manifest.suppressed;
    assert_eq!((s.suppressed_item_links, s.suppressed_successors), (2, 1));
    // With the rule off (and a warning from the CLI), the pair is there.
    let (catalogue, log) = solo_shop();
    let open_rules = PrivacyConfig {
        min_support: 1,
        ..PrivacyConfig::default()
    };
    let built = build(
        catalogue,
        Some(&log),
        &config(open_rules),
        &BuildOptions::default(),
        &no_clock,
    )
    .unwrap();
    let rec = open_files(&built.files).unwrap().recommender;
    assert!(rec
        .model::<ItemKnn>()
        .unwrap()
        .neighbours(kettle)
        .0
        .contains(&lamp));
}

#[test]
fn no_user_id_and_no_timestamp_reaches_an_index_file() {
    let (catalogue, log) = solo_shop();
    let dir = tempfile::tempdir().unwrap();
    let (cat, csv) = (dir.path().join("c.json"), dir.path().join("log.csv"));
    std::fs::write(&cat, r#"[{"id": "mug", "title": "Mug"}, {"id": "teapot", "title": "Teapot"}, {"id": "kettle", "title": "Kettle"}, {"id": "lamp", "title": "Lamp"}]"#).unwrap();
    let mut text = String::from("user,item,timestamp\n");
    for r in 0..log.len() {
        let (u, i, _, t) = log.row(r);
        let ts = t.unwrap();
        text += &format!("{},{},{ts}\n", log.user_id(u), catalogue.id(i));
    }
    std::fs::write(&csv, &text).unwrap();
    let out_dir = dir.path().join("index");
    let out = run(&[
        "build",
        "--catalog",
        p(&cat),
        "--interactions",
        p(&csv),
        "--no-tune",
        "--out",
        p(&out_dir),
    ]);
    assert_ok(&out);
    let mut files = 0;
    for entry in std::fs::read_dir(&out_dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        files += 1;
        let text = String::from_utf8_lossy(&bytes);
        for u in 0..log.user_count() as u32 {
            assert!(!text.contains(log.user_id(u)), "user id {}", log.user_id(u));
        }
        for r in 0..log.len() {
            let t = log.row(r).3.unwrap();
            for form in [t.to_string(), "2024-0".to_string(), ":31".to_string()] {
                assert!(!text.contains(&form), "timestamp {form}");
            }
            for pattern in [t.to_le_bytes().to_vec(), (t as u32).to_le_bytes().to_vec()] {
                assert!(
                    !bytes.windows(pattern.len()).any(|w| w == pattern),
                    "timestamp {t} as bytes"
                );
            }
        }
    }
    assert!(files > 5);
}

#[test]
fn differential_privacy_adds_noise_and_withholds_small_pairs() {
    // A shop big enough for some pair to pass the threshold: 400 shoppers
    // buy a mug and a teapot, 3 a kettle and a lamp.
    let catalogue = Catalogue::from_json(
        r#"[{"id": "mug"}, {"id": "teapot"}, {"id": "kettle"}, {"id": "lamp"}]"#,
        &CatalogueConfig::default(),
    )
    .unwrap();
    let mut csv = String::from("user,item\n");
    for u in 0..400 {
        csv += &format!("a{u},mug\na{u},teapot\n");
    }
    for u in 0..3 {
        csv += &format!("b{u},kettle\nb{u},lamp\n");
    }
    let log = Interactions::from_csv(csv, &catalogue, &InteractionConfig::default()).unwrap();
    let privacy = PrivacyConfig {
        min_support: 1,
        max_items_per_shopper: 2,
        epsilon: Some(3.0),
        ..PrivacyConfig::default()
    };
    let options = BuildOptions {
        noise_seed: 12345,
        ..BuildOptions::default()
    };
    let built = build(catalogue, Some(&log), &config(privacy), &options, &no_clock).unwrap();
    let rec = open_files(&built.files).unwrap().recommender;
    let pop = rec.popularity().scores();
    // True counts 400, 400, 3, 3; the released ones differ.
    assert!(
        pop.iter()
            .zip([400.0, 400.0, 3.0, 3.0])
            .all(|(p, t)| *p != t),
        "{pop:?}"
    );
    assert!(pop[0] > 300.0 && pop[1] > 300.0, "{pop:?}");
    // τ for L = 2 (Δ = 1), ε' = 1, δ' = 1e-6: ln(5e5) + 1 = 14.1; the
    // 3-shopper pair is withheld, the 400-shopper one released.
    let knn = rec.model::<ItemKnn>().unwrap();
    assert_eq!(knn.neighbours(0).0, &[1]);
    assert!(knn.neighbours(2).0.is_empty() && knn.neighbours(3).0.is_empty());
    assert!(built.manifest.suppressed.suppressed_item_links >= 2);
    // The noise seed is never written.
    let manifest = String::from_utf8(built.files[0].1.clone()).unwrap();
    assert!(
        !manifest.contains("12345") && !manifest.contains("noiseSeed"),
        "{manifest}"
    );
}

fn corrupt(
    files: &[(String, Vec<u8>)],
    kind: &str,
    change: impl Fn(&mut Vec<u8>),
) -> pocketrec::Error {
    let mut files = files.to_vec();
    let target = files.iter_mut().find(|(n, _)| n.starts_with(kind)).unwrap();
    change(&mut target.1);
    open_files(&files).unwrap_err()
}

#[test]
fn missing_corrupt_and_foreign_files_are_named() {
    let files = build_shop(PrivacyConfig::default(), &BuildOptions::default()).files;
    let item_shard = files
        .iter()
        .find(|(n, _)| n.starts_with("item-knn-"))
        .unwrap()
        .0
        .clone();
    for (what, e) in [
        ("flipped byte", corrupt(&files, "item-knn-", |b| b[20] ^= 1)),
        (
            "truncated",
            corrupt(&files, "item-knn-", |b| b.truncate(b.len() / 2)),
        ),
        ("emptied", corrupt(&files, "item-knn-", Vec::clear)),
    ] {
        assert_eq!(e.code(), "bad_index", "{what}: {e}");
        assert!(e.to_string().contains(&item_shard), "{what}: {e}");
        assert!(e.to_string().contains("hash"), "{what}: {e}");
    }
    let without: Vec<_> = files
        .iter()
        .filter(|(n, _)| *n != item_shard)
        .cloned()
        .collect();
    let e = open_files(&without).unwrap_err();
    assert_eq!(e.to_string(), format!("model index {item_shard}: missing"));
    let e = corrupt(&files, "pocketrec-index.json", |b| {
        let text =
            String::from_utf8(b.clone())
                .unwrap()
                .replacen("\"version\": 3", "\"version\": 1", 1);
        *b = text.into_bytes();
    });
    assert_eq!(
        e.to_string(),
        "model index pocketrec-index.json: format version 1; this pocketrec reads version 3: rebuild the index with this version"
    );
    // A manifest that lists user-kNN (no index holds it) is refused.
    let e = corrupt(&files, "pocketrec-index.json", |b| {
        let text = String::from_utf8(b.clone()).unwrap().replacen(
            "\"models\": [",
            "\"models\": [\"userKnn\", ",
            1,
        );
        *b = text.into_bytes();
    });
    assert_eq!(
        e.to_string(),
        "model index pocketrec-index.json: lists model \"userKnn\", which an index cannot hold"
    );
    let e = corrupt(&files, "pocketrec-index.json", |b| b.truncate(b.len() - 10));
    assert!(e.to_string().contains("not JSON"), "{e}");
    let e = corrupt(&files, "pocketrec-index.json", |b| {
        *b = b"{\"format\": \"pagefind\"}".to_vec()
    });
    assert!(e.to_string().contains("not a pocketrec index"), "{e}");
}

fn write_shop(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
}

#[test]
fn the_cli_builds_serves_and_protects_folders() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("idx");
    let (shop, log) = (shop_file(), log_file());
    let build_args = |out: &Path| -> Vec<String> {
        [
            "build",
            "--catalog",
            p(&shop),
            "--interactions",
            p(&log),
            "--no-tune",
            "--out",
            p(out),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let args = build_args(&out_dir);
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_ok(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["items"], 12);
    assert_eq!(report["format"], "pocketrec-index");
    assert!(report["bytes"].as_u64().unwrap() > report["gzipBytes"].as_u64().unwrap());
    assert!(
        report["suppressed"]["suppressedItemLinks"]
            .as_u64()
            .unwrap()
            > 0
    );
    // Rebuilding over an index replaces it; no staging folder is left.
    assert_ok(&run(&args.iter().map(String::as_str).collect::<Vec<_>>()));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["idx"]);
    // A folder with anything else in it is refused and left as it was.
    let other = dir.path().join("site");
    write_shop(&other);
    let args = build_args(&other);
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_fails(
        &out,
        &["keep.txt", "not part of a pocketrec index", "refusing"],
    );
    assert_eq!(
        std::fs::read_to_string(other.join("keep.txt")).unwrap(),
        "mine"
    );

    // Serving: similar, recommend and search from the index.
    let idx = p(&out_dir);
    let out = run(&[
        "similar", "--index", idx, "--item", "mug", "--k", "3", "--model", "item-knn",
    ]);
    assert_ok(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 3, "{v}");
    let out = run(&["search", "--index", idx, "--query", "ceramic", "--k", "2"]);
    assert_ok(&out);
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\nnobody\n").unwrap();
    let out = run(&[
        "recommend",
        "--index",
        idx,
        "--interactions",
        p(&log),
        "--users",
        p(&users),
        "--k",
        "4",
    ]);
    assert_ok(&out);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["items"].as_array().unwrap().len(), 4);
    assert!(stderr(&out).contains("no interactions for user \"nobody\""));
    // user-kNN is never in an index; --config goes with the index.
    let out = run(&[
        "recommend",
        "--index",
        idx,
        "--users",
        p(&users),
        "--model",
        "user-knn",
    ]);
    assert_fails(&out, &["holds no user-knn model"]);
    // eval --via-index: user-knn asked for is an error, not popularity's
    // figures under its name; by default it is left out.
    let (shop_s, log_s) = (common::shop_file(), common::log_file());
    let eval = [
        "eval",
        "--catalog",
        p(&shop_s),
        "--interactions",
        p(&log_s),
        "--via-index",
    ];
    let out = run(&[&eval[..], &["--models", "item-knn,user-knn"]].concat());
    assert_fails(&out, &["--via-index", "holds no user-knn model"]);
    let out = run(&eval);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("user-knn") && stdout(&out).contains("| hybrid |"));
    let out = run(&[
        "similar",
        "--index",
        idx,
        "--catalog",
        p(&shop),
        "--item",
        "mug",
    ]);
    assert!(!out.status.success());
    // A corrupt shard is named.
    let shard = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("items-")
        })
        .unwrap();
    std::fs::write(&shard, b"PKRX").unwrap();
    let out = run(&["similar", "--index", idx, "--item", "mug"]);
    assert_fails(
        &out,
        &[&shard.file_name().unwrap().to_string_lossy(), "hash"],
    );
}

#[test]
fn build_rejects_what_recommend_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"[{"id": "a"}, {"title": "no id"}]"#).unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\n").unwrap();
    let out_dir = dir.path().join("idx");
    let b = run(&[
        "build",
        "--catalog",
        p(&bad),
        "--no-tune",
        "--out",
        p(&out_dir),
    ]);
    let r = run(&["recommend", "--catalog", p(&bad), "--users", p(&users)]);
    assert!(!b.status.success() && !r.status.success());
    assert_eq!(stderr(&b), stderr(&r));
    assert!(!out_dir.exists());
}
