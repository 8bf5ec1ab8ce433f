//! The model index: built, written, opened and served; its privacy rules;
//! its errors for missing, corrupt or foreign files.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;
use pocketrec::config::Config;
use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
use pocketrec::data::interactions::{InteractionConfig, Interactions};
use pocketrec::index::{
    build, open, open_partial, BuildOptions, BuiltIndex, OpenedIndex, QueryKind,
};
use pocketrec::models::content::ContentModel;
use pocketrec::models::item_knn::ItemKnn;
use pocketrec::models::sequential::Sequential;
use pocketrec::privacy::PrivacyConfig;
use pocketrec::recommend::fit::no_clock;
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
    // Small shards, so every kind spans several files.
    let options = BuildOptions {
        shard_items: 5,
        shard_features: 7,
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
            Model::Sequential,
            Model::Content,
            Model::Popular
        ]
    );
    for model in [
        Model::ItemKnn,
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
            for (x, y) in a.iter().zip(&b) {
                assert!(
                    (x.score - y.score).abs() < 1e-3,
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
fn a_partly_opened_index_fetches_only_what_each_query_needs() {
    // Lists in shards of 4 items: 3 shards each for the 12 items.
    let options = BuildOptions {
        shard_links: 4,
        ..BuildOptions::default()
    };
    let built = build_shop(no_rules(), &options);
    let eager = open_files(&built.files).unwrap().recommender;
    let map: HashMap<&str, &Vec<u8>> = built.files.iter().map(|(n, b)| (n.as_str(), b)).collect();
    let read_log = std::cell::RefCell::new(Vec::<String>::new());
    let mut read = |name: &str| {
        read_log
            .borrow_mut()
            .push(name.rsplit_once('-').unwrap().0.to_string());
        map.get(name)
            .map(|b| b.to_vec())
            .ok_or_else(|| pocketrec::Error::BadIndex {
                file: name.to_string(),
                message: "missing".into(),
            })
    };
    let mut index = open_partial(&built.files[0].1, &mut read, &[]).unwrap();
    // Opening reads the items and popularity only.
    assert_eq!(*read_log.borrow(), ["items", "popularity"]);
    let kinds = |files: Vec<String>| -> Vec<String> {
        files
            .iter()
            .map(|f| f.rsplit_once('-').unwrap().0.to_string())
            .collect()
    };
    let mug = eager.catalogue().require("mug").unwrap(); // item 4: the second list shard
                                                         // Trending needs nothing more, and answers as the whole index does.
    let trending = Query::new(4, Model::Popular).check().unwrap();
    let needs = index.needs(QueryKind::Rank, &trending, &[]);
    assert_eq!(needs.models, [Model::Popular]);
    assert!(index.files_for(&needs).is_empty() && index.is_ready(&needs));
    assert_eq!(
        index.recommender.popular(&trending).unwrap(),
        eager.popular(&trending).unwrap()
    );
    // Item-kNN for one product: the one shard of its list.
    let knn = Query::new(4, Model::ItemKnn).check().unwrap();
    let needs = index.needs(QueryKind::Rank, &knn, &[mug]);
    let files = index.files_for(&needs);
    assert_eq!(kinds(files.clone()), ["item-knn"]);
    let second = &built
        .manifest
        .shards
        .iter()
        .find(|s| s.file == files[0])
        .unwrap();
    assert_eq!((second.first, second.count), (4, 4));
    assert!(!index.is_ready(&needs));
    assert_eq!(index.open(&needs, &mut read), 0);
    assert!(index.is_ready(&needs));
    assert_eq!(
        index.recommender.similar_items("mug", &knn).unwrap(),
        eager.similar_items("mug", &knn).unwrap()
    );
    // Diversity is measured with the content model, which opens whole.
    let mut diverse = Query::new(4, Model::ItemKnn);
    diverse.diversity = 0.5;
    let diverse = diverse.check().unwrap();
    assert_eq!(
        kinds(index.files_for(&index.needs(QueryKind::Rank, &diverse, &[mug]))),
        ["features", "content"]
    );
    // Search: the content model's shards.
    assert_eq!(
        kinds(index.files_for(&index.needs(QueryKind::Search, &knn, &[]))),
        ["features", "content"]
    );
    // A history across two shards, with the hybrid: content whole, and the
    // lists of the shards its items are in (the mug's item-kNN shard is open).
    let hybrid = Query::new(5, Model::Hybrid).check().unwrap();
    let history = [mug, 9];
    let needs = index.needs(QueryKind::Rank, &hybrid, &history);
    assert_eq!(
        kinds(index.files_for(&needs)),
        [
            "features",
            "content",
            "item-knn",
            "sequential",
            "sequential"
        ]
    );
    assert_eq!(index.open(&needs, &mut read), 0);
    let events = |items: &[&str]| -> Vec<pocketrec::data::history::Event> {
        items
            .iter()
            .map(|i| pocketrec::data::history::Event {
                item: i.to_string(),
                weight: None,
                timestamp: None,
                event: None,
            })
            .collect()
    };
    let shopper = events(&["mug", eager.catalogue().id(9)]);
    assert_eq!(
        index.recommender.recommend(&shopper, &hybrid).unwrap(),
        eager.recommend(&shopper, &hybrid).unwrap()
    );
    // Every other item's similar items, once its shards are open too.
    for item in 0..12u32 {
        let needs = index.needs(QueryKind::Rank, &hybrid, &[item]);
        index.open(&needs, &mut read);
        let id = eager.catalogue().id(item);
        assert_eq!(
            index.recommender.similar_items(id, &hybrid).unwrap(),
            eager.similar_items(id, &hybrid).unwrap(),
            "{id}"
        );
    }
    // Each file was read once.
    let mut read_files = read_log.borrow().clone();
    read_files.sort();
    assert_eq!(read_files.len(), built.files.len() - 1, "{read_files:?}");
    // Files at hand (a page fetched small lists with the manifest): the
    // list shards among them open; content, not all at hand, waits.
    let mut index = open_partial(&built.files[0].1, &mut read, &[]).unwrap();
    let everything = pocketrec::index::Needs {
        models: vec![Model::ItemKnn, Model::Content],
        items: None,
    };
    let first_list = index.files_for(&everything)[2].clone(); // features, content, then lists
    assert!(first_list.starts_with("item-knn-"), "{first_list}");
    let at_hand = |f: &str| f == first_list || f.starts_with("features-");
    assert_eq!(index.open_where(&everything, &at_hand, &mut read), 0);
    assert_eq!(
        kinds(index.files_for(&everything)),
        ["features", "content", "item-knn", "item-knn"]
    );
    // A model whose shard cannot be read is left out and named.
    let mut failing = |name: &str| -> pocketrec::Result<Vec<u8>> {
        if name.starts_with("content-") {
            return Err(pocketrec::Error::BadIndex {
                file: name.to_string(),
                message: "missing".into(),
            });
        }
        Ok(map[name].to_vec())
    };
    let mut index = open_partial(&built.files[0].1, &mut failing, &[]).unwrap();
    let needs = index.needs(QueryKind::Rank, &hybrid, &[mug]);
    assert_eq!(index.open(&needs, &mut failing), 1);
    assert_eq!(index.problems[0].0, Model::Content);
    assert!(index.problems[0].1.to_string().contains("content-"));
    assert!(!index.held().contains(&Model::Content) && index.is_ready(&needs));
    assert!(index.recommender.similar_items("mug", &hybrid).is_ok());
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
                .replacen("\"version\": 2", "\"version\": 1", 1);
        *b = text.into_bytes();
    });
    assert_eq!(
        e.to_string(),
        "model index pocketrec-index.json: format version 1; this pocketrec reads version 2: rebuild the index with this version"
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
