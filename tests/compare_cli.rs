//! `pocketrec eval --compare A.json,B.json`, run as a separate process on
//! the shop fixture.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::*;

/// A: the hybrid blends popularity alone; B: item-kNN alone.
const POPULAR_ONLY: &str = r#"{"hybrid": {"weights": {"popular": 1, "itemKnn": 0, "content": 0, "sequential": 0, "userKnn": 0, "ease": 0, "als": 0}}}"#;
const ITEM_KNN_ONLY: &str = r#"{"hybrid": {"weights": {"popular": 0, "itemKnn": 1, "content": 0, "sequential": 0, "userKnn": 0, "ease": 0, "als": 0}}}"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn compare(a: &Path, b: &Path, extra: &[&str]) -> std::process::Output {
    let pair = format!("{},{}", p(a), p(b));
    let (shop, log) = (shop_file(), log_file());
    let mut args = vec![
        "eval",
        "--catalog",
        p(&shop),
        "--interactions",
        p(&log),
        "--k",
        "3",
        "--compare",
        &pair,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// `eval --json`'s NDCG and recall of the hybrid under `config`.
fn eval_hybrid(config: &Path) -> (f64, f64) {
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--k",
        "3",
        "--config",
        p(config),
        "--models",
        "hybrid",
        "--json",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let r = &v["results"][0];
    (r["ndcg"].as_f64().unwrap(), r["recall"].as_f64().unwrap())
}

#[test]
fn compare_reports_each_configs_means_and_their_paired_difference() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "popular.json", POPULAR_ONLY);
    let b = write(dir.path(), "item-knn.json", ITEM_KNN_ONLY);
    let out = compare(&a, &b, &["--json"]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("--json prints JSON only");
    assert_eq!(v["a"], "popular.json");
    assert_eq!(v["b"], "item-knn.json");
    assert_eq!(v["model"], "hybrid");
    assert_eq!(v["users"], 8, "the eval split's 8 test users");
    assert_eq!(v["bootstrap"], 2000);
    assert_eq!(v["level"], 0.95);
    // Each config's mean is what `eval` reports for it on the same split,
    // and the mean paired difference is the difference of the means.
    let (ndcg_a, recall_a) = eval_hybrid(&a);
    let (ndcg_b, recall_b) = eval_hybrid(&b);
    let metrics = v["metrics"].as_array().unwrap();
    for (m, name, (x, y)) in [
        (&metrics[0], "ndcg", (ndcg_a, ndcg_b)),
        (&metrics[1], "recall", (recall_a, recall_b)),
    ] {
        assert_eq!(m["metric"], name);
        let f = |key: &str| m[key].as_f64().unwrap();
        assert!((f("a") - x).abs() < 1e-12, "{m} vs {x}");
        assert!((f("b") - y).abs() < 1e-12, "{m} vs {y}");
        assert!((f("difference") - (y - x)).abs() < 1e-12, "{m}");
        assert!(
            f("lower") <= f("difference") && f("difference") <= f("upper"),
            "{m}"
        );
        let verdict = m["verdict"].as_str().unwrap();
        let expected = if f("lower") > 0.0 {
            "bBetter"
        } else if f("upper") < 0.0 {
            "aBetter"
        } else {
            "noDifference"
        };
        assert_eq!(verdict, expected, "{m}");
        let text = m["text"].as_str().unwrap();
        assert!(
            text.contains("popular.json") || text.contains("item-knn.json"),
            "{text}"
        );
    }
}

#[test]
fn a_config_against_itself_has_no_detectable_difference() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.json", ITEM_KNN_ONLY);
    let b = write(dir.path(), "b.json", ITEM_KNN_ONLY);
    let out = compare(&a, &b, &[]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(
        text.starts_with("A = a.json, B = b.json: model hybrid, split random"),
        "{text}"
    );
    assert!(
        text.contains("| metric | a.json (A) | b.json (B) | B − A | 95% CI |"),
        "{text}"
    );
    assert!(text.contains("| +0.0000 | [0.0000, 0.0000] |"), "{text}");
    assert!(
        text.contains(
            "NDCG@3: no detectable difference (b.json − a.json = +0.0000, 95% CI 0.0000 to 0.0000)"
        ),
        "{text}"
    );
    assert!(
        text.contains("recall@3: no detectable difference"),
        "{text}"
    );
}

#[test]
fn the_comparison_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.json", POPULAR_ONLY);
    let b = write(dir.path(), "b.json", ITEM_KNN_ONLY);
    let first = compare(&a, &b, &["--json", "--bootstrap", "500"]);
    let second = compare(&a, &b, &["--json", "--bootstrap", "500"]);
    assert_ok(&first);
    assert_eq!(stdout(&first), stdout(&second));
    let v: Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert_eq!(v["bootstrap"], 500);
}

#[test]
fn one_model_may_be_chosen_and_via_index_serves_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.json", r#"{"itemKnn": {"neighbours": 1}}"#);
    let b = write(dir.path(), "b.json", r#"{"itemKnn": {"neighbours": 20}}"#);
    for extra in [
        &["--models", "item-knn", "--json"][..],
        &["--models", "item-knn", "--via-index", "--json"],
    ] {
        let out = compare(&a, &b, extra);
        assert_ok(&out);
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["model"], "item-knn");
        assert_eq!(v["users"], 8);
    }
}

#[test]
fn compare_errors_say_what_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.json", POPULAR_ONLY);
    let b = write(dir.path(), "b.json", ITEM_KNN_ONLY);
    let (shop, log) = (shop_file(), log_file());
    let base = ["eval", "--catalog", p(&shop), "--interactions", p(&log)];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        run(&args)
    };
    let one = with(&["--compare", p(&a)]);
    assert_fails(
        &one,
        &["--compare takes two config files, A and B (--compare A.json,B.json); got 1"],
    );
    let three = format!("{},{},{}", p(&a), p(&b), p(&a));
    let out = with(&["--compare", &three]);
    assert_fails(&out, &["--compare takes two config files", "got 3"]);
    let pair = format!("{},{}", p(&a), p(&b));
    let out = with(&["--compare", &pair, "--tune"]);
    assert_fails(
        &out,
        &["--compare with --tune is not supported", "pocketrec tune"],
    );
    let out = with(&["--compare", &pair, "--models", "popular,hybrid"]);
    assert_fails(
        &out,
        &[
            "--compare evaluates one model",
            "--models gave 2: popular,hybrid",
        ],
    );
    let out = with(&["--compare", &pair, "--models", "user-knn", "--via-index"]);
    assert_fails(&out, &["--via-index", "user-knn"]);
    let out = with(&["--compare", &pair, "--bootstrap", "0"]);
    assert_fails(
        &out,
        &["bootstrap", "must be from 1 to 1000000 resamples, got 0"],
    );
    let out = with(&["--compare", &pair, "--config", p(&a)]);
    assert_fails(&out, &["--config", "cannot be used with", "--compare"]);
    let out = with(&["--bootstrap", "10"]);
    assert_fails(&out, &["--compare"]);

    // A missing config, and one that is not valid, are named with where.
    let missing = dir.path().join("missing.json");
    let pair = format!("{},{}", p(&a), p(&missing));
    let out = with(&["--compare", &pair]);
    assert_fails(&out, &["could not read config from", p(&missing)]);
    let typo = write(dir.path(), "typo.json", "{\"itemKnn\": {\"neighbors\": 5}}");
    let pair = format!("{},{}", p(&typo), p(&b));
    let out = with(&["--compare", &pair]);
    assert_fails(
        &out,
        &[p(&typo), "$.itemKnn.neighbors", "unknown field `neighbors`"],
    );
    let bad = write(
        dir.path(),
        "bad.json",
        "{\"hybrid\": {\"weights\": {\"content\": \"lots\"}}}",
    );
    let pair = format!("{},{}", p(&a), p(&bad));
    let out = with(&["--compare", &pair]);
    assert_fails(&out, &[p(&bad), "$.hybrid.weights.content", "line 1"]);
}
