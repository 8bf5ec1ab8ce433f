//! The `pocketrec` command-line tool, run as a separate process.
#![cfg(feature = "cli")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

mod common;
use common::*;

/// Each user's distinct items in the fixture CSV, read by hand.
fn train_items() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(log_file()).unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        out.entry(cols[0].to_string())
            .or_default()
            .insert(cols[1].to_string());
    }
    out
}

/// Rows of a user,item,weight,timestamp CSV as comparable tuples.
fn rows(path: &Path) -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("user,item,weight,timestamp"),
        "{}",
        path.display()
    );
    let mut out: Vec<_> = lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!(c.len(), 4, "{l}");
            let weight: f64 = c[2].parse().unwrap();
            (
                c[0].to_string(),
                c[1].to_string(),
                format!("{weight}"),
                c[3].to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn as_strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------
// help
// ---------------------------------------------------------------------------

#[test]
fn help_lists_the_commands() {
    let out = run(&["--help"]);
    assert_ok(&out);
    let text = stdout(&out);
    for command in ["recommend", "similar", "eval", "split"] {
        assert!(text.contains(command), "{text}");
    }
    let out = run(&["recommend", "--help"]);
    assert_ok(&out);
    let text = stdout(&out);
    for flag in [
        "--catalog",
        "--users",
        "--interactions",
        "--k",
        "--model",
        "--in-stock-only",
        "--out",
    ] {
        assert!(text.contains(flag), "{flag} missing from {text}");
    }
    // No command at all is a usage error on stderr.
    let out = run(&[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Usage"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------
// recommend
// ---------------------------------------------------------------------------

#[test]
fn recommend_writes_one_json_line_per_user() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    // Blank lines are skipped and ids trimmed; "newbie" has no interactions.
    std::fs::write(&users, "u1\nu4\n\nnewbie\n  u8  \n").unwrap();
    let train = train_items();
    for model in MODELS {
        let out = run(&[
            "recommend",
            "--catalog",
            p(&shop_file()),
            "--interactions",
            p(&log_file()),
            "--users",
            p(&users),
            "--k",
            "5",
            "--model",
            model,
        ]);
        assert_ok(&out);
        let text = stdout(&out);
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        let names: Vec<&str> = lines.iter().map(|l| l["user"].as_str().unwrap()).collect();
        assert_eq!(names, ["u1", "u4", "newbie", "u8"], "{model}");
        // A user the log has never seen is said on stderr (a typo in the
        // users file would otherwise pass as a cold start).
        assert_eq!(
            stderr(&out).trim(),
            r#"warning: no interactions for user "newbie"; they got the cold-start (popular) list"#
        );
        for line in &lines {
            let keys: BTreeSet<&str> = line
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(
                keys,
                ["items", "scores", "user"].into_iter().collect(),
                "{line}"
            );
            let user = line["user"].as_str().unwrap();
            let items = as_strs(&line["items"]);
            let scores: Vec<f64> = line["scores"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_f64().unwrap())
                .collect();
            assert_eq!(items.len(), 5, "{model} {user}");
            assert_eq!(scores.len(), 5);
            assert!(
                scores.iter().all(|s| s.is_finite() && *s >= 0.0),
                "{scores:?}"
            );
            assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
            assert_eq!(items.iter().collect::<BTreeSet<_>>().len(), 5, "distinct");
            if let Some(bought) = train.get(user) {
                for item in &items {
                    assert!(
                        !bought.contains(*item),
                        "{model}: {user} already has {item}"
                    );
                }
            }
        }
        // The cold-start answer is the popular order.
        assert_eq!(as_strs(&lines[2]["items"]), POPULAR_ORDER[..5], "{model}");
    }
}

#[test]
fn recommend_cold_start_scores_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "newbie\n").unwrap();
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--users",
        p(&users),
        "--k",
        "4",
        "--model",
        "popular",
    ]);
    assert_ok(&out);
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    // 4, 3, 3, 2 users out of 4.
    assert_eq!(line["scores"], serde_json::json!([1.0, 0.75, 0.75, 0.5]));
    // In stock, kitchen only: kettle is out of stock.
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--users",
        p(&users),
        "--k",
        "3",
        "--in-stock-only",
        "--category",
        "Kitchen",
    ]);
    assert_ok(&out);
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(as_strs(&line["items"]), ["mug", "teapot", "grinder"]);
    // Price range and exclusions.
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--users",
        p(&users),
        "--k",
        "10",
        "--min-price",
        "25",
        "--max-price",
        "55",
        "--exclude",
        "kettle",
    ]);
    assert_ok(&out);
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(as_strs(&line["items"]), ["teapot", "grinder", "desk-lamp"]);
}

#[test]
fn recommend_can_write_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u2\nu5\n").unwrap();
    let file = dir.path().join("recs.jsonl");
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--users",
        p(&users),
        "--k",
        "3",
        "--out",
        p(&file),
    ]);
    assert_ok(&out);
    assert!(out.stdout.is_empty());
    let direct = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--users",
        p(&users),
        "--k",
        "3",
    ]);
    assert_ok(&direct);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout(&direct));
    assert_eq!(stdout(&direct).lines().count(), 2);
}

#[test]
fn recommend_without_interactions_uses_catalogue_order() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "anyone\n").unwrap();
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--users",
        p(&users),
        "--k",
        "3",
    ]);
    assert_ok(&out);
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(
        as_strs(&line["items"]),
        ["bt-earbuds", "bt-sport", "headphones"]
    );
    assert_eq!(line["scores"], serde_json::json!([0.0, 0.0, 0.0]));
}

#[test]
fn unknown_items_in_interactions_are_warned_about_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let interactions = dir.path().join("log.csv");
    std::fs::write(&interactions, "user,item\nu1,mug\nu1,ghost\nu2,teapot\n").unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\n").unwrap();
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&interactions),
        "--users",
        p(&users),
        "--k",
        "2",
    ]);
    assert_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("warning:")
            && err.contains("1 interactions name items not in the catalogue")
            && err.contains("ghost"),
        "{err}"
    );
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert!(!as_strs(&line["items"]).contains(&"mug"));
}

// ---------------------------------------------------------------------------
// similar
// ---------------------------------------------------------------------------

#[test]
fn similar_prints_items_with_reasons() {
    let out = run(&[
        "similar",
        "--catalog",
        p(&shop_file()),
        "--item",
        "bt-earbuds",
        "--k",
        "3",
        "--model",
        "content",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("pretty JSON");
    assert_eq!(v["item"], "bt-earbuds");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["id"], "bt-sport");
    assert_eq!(items[0]["score"], 1.0);
    for item in items {
        assert_ne!(item["id"], "bt-earbuds");
        assert!(item["score"].as_f64().unwrap().is_finite());
        for reason in item["reasons"].as_array().unwrap() {
            assert_eq!(reason["kind"], "sharedFeature", "{reason}");
        }
    }
    let shares = |item: &Value, field: &str, value: &str| {
        item["reasons"].as_array().unwrap().iter().any(|r| {
            r["field"] == field && r["value"] == value && r["weight"].as_f64().unwrap() > 0.0
        })
    };
    assert!(shares(&items[0], "title", "蓝牙"), "{}", items[0]);

    let out = run(&[
        "similar",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--item",
        "bt-earbuds",
        "--k",
        "6",
        "--model",
        "item-knn",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    // The six items that share a user with bt-earbuds, each explained by it.
    let got: BTreeSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        got,
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
    for item in items {
        let reasons = item["reasons"].as_array().unwrap();
        assert_eq!(reasons.len(), 1, "{item}");
        assert_eq!(reasons[0]["kind"], "alsoInteracted");
        assert_eq!(reasons[0]["item"], "bt-earbuds");
    }
}

#[test]
fn similar_hybrid_for_an_item_nobody_bought() {
    let out = run(&[
        "similar",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--item",
        "desk-lamp",
        "--k",
        "2",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["model"], "hybrid");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], "floor-lamp");
    // Default blend: content 0.05 × 1 (floor-lamp is the content maximum)
    // + popular 0.02 × 0.5 (half the top popularity) = 0.06; the item has no
    // interactions, so EASE, user-kNN and sequential add nothing.
    assert!(
        (items[0]["score"].as_f64().unwrap() - 0.06).abs() < 1e-6,
        "{}",
        items[0]
    );
    assert_eq!(items[1]["id"], "bt-earbuds");
    assert_eq!(
        items[1]["reasons"],
        serde_json::json!([{"kind": "popular", "score": 4.0}])
    );
}

#[test]
fn similar_reads_a_movielens_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("movies.csv"),
        "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children\n2,Heat (1995),Action|Crime\n3,Toy Story 2 (1999),Adventure|Animation|Children\n",
    )
    .unwrap();
    let out = run(&[
        "similar",
        "--catalog",
        p(dir.path()),
        "--item",
        "1",
        "--k",
        "1",
        "--model",
        "content",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["items"][0]["id"], "3");
}

// ---------------------------------------------------------------------------
// split
// ---------------------------------------------------------------------------

#[test]
fn split_partitions_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("parts");
    let out = run(&[
        "split",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--test-fraction",
        "0.5",
        "--seed",
        "7",
        "--out-dir",
        p(&out_dir),
    ]);
    assert_ok(&out);
    assert!(out.stdout.is_empty());
    let (train, test) = (
        rows(&out_dir.join("train.csv")),
        rows(&out_dir.join("test.csv")),
    );
    // Together, exactly the input rows.
    let mut all: Vec<_> = train.iter().chain(&test).cloned().collect();
    all.sort();
    assert_eq!(all, rows(&log_file()));
    assert_eq!(all.len(), 40);
    // A (user, item) pair is on one side only; each user holds out
    // round(0.5·n) of n distinct items: 2 of 3 and 2 of 4.
    let pairs = |r: &[(String, String, String, String)]| {
        r.iter()
            .map(|x| (x.0.clone(), x.1.clone()))
            .collect::<BTreeSet<_>>()
    };
    let (train_pairs, test_pairs) = (pairs(&train), pairs(&test));
    assert!(train_pairs.is_disjoint(&test_pairs));
    for (user, items) in train_items() {
        let held = test_pairs.iter().filter(|(u, _)| *u == user).count();
        assert_eq!(held, 2, "{user} has {} items", items.len());
    }
    let users = std::fs::read_to_string(out_dir.join("users.txt")).unwrap();
    assert_eq!(
        users.lines().collect::<Vec<_>>(),
        ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"]
    );
    // Same seed, same files.
    let again = dir.path().join("again");
    assert_ok(&run(&[
        "split",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--test-fraction",
        "0.5",
        "--seed",
        "7",
        "--out-dir",
        p(&again),
    ]));
    for name in ["train.csv", "test.csv", "users.txt"] {
        assert_eq!(
            std::fs::read(out_dir.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn temporal_split_holds_out_each_users_latest_item() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&[
        "split",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--split",
        "temporal",
        "--out-dir",
        p(dir.path()),
    ]);
    assert_ok(&out);
    // Fraction 0.2 of 3 or 4 items rounds to 1: the item each user first touched last.
    let test: BTreeSet<(String, String)> = rows(&dir.path().join("test.csv"))
        .into_iter()
        .map(|r| (r.0, r.1))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("u1", "headphones"),
        ("u2", "headphones"),
        ("u3", "speaker"),
        ("u4", "teapot"),
        ("u5", "kettle"),
        ("u6", "bt-sport"),
        ("u7", "floor-lamp"),
        ("u8", "bt-earbuds"),
    ]
    .into_iter()
    .map(|(u, i)| (u.to_string(), i.to_string()))
    .collect();
    assert_eq!(test, expected);
    // Every row of those pairs is held out: 12 rows, since u1, u5, u7 and u8
    // came back to their latest item.
    let held: Vec<_> = rows(&log_file())
        .into_iter()
        .filter(|r| expected.contains(&(r.0.clone(), r.1.clone())))
        .collect();
    assert_eq!(held.len(), 12);
    assert_eq!(rows(&dir.path().join("test.csv")), held);
}

// ---------------------------------------------------------------------------
// eval
// ---------------------------------------------------------------------------

#[test]
fn eval_json_has_a_result_per_model_with_metrics_in_range() {
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--k",
        "3",
        "--json",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("eval --json prints JSON only");
    assert_eq!(v["k"], 3);
    assert_eq!(v["split"], "random");
    let results = v["results"].as_array().unwrap();
    let models: Vec<&str> = results
        .iter()
        .map(|r| r["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, MODELS);
    for r in results {
        assert_eq!(r["users"], 8, "{r}");
        for metric in ["precision", "recall", "ndcg", "map", "hitRate", "coverage"] {
            let x = r[metric]
                .as_f64()
                .unwrap_or_else(|| panic!("{metric} is not a number in {r}"));
            assert!((0.0..=1.0).contains(&x), "{metric} = {x}");
        }
        assert!(r["fitSeconds"].as_f64().unwrap() >= 0.0);
    }
    // A subset of models, in the order given.
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--models",
        "hybrid,popular",
        "--json",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let models: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["hybrid", "popular"]);
}

#[test]
fn eval_popular_metrics_by_hand() {
    // Temporal split: test items as in temporal_split_holds_out_each_users_latest_item.
    // Training popularity: bt-earbuds 3, mug 3, bt-sport 2, grinder 2, shoes 2,
    // bottle 2, then the 1s. Top 3 without each user's training items:
    //   u1 mug grinder shoes | u2 mug bt-sport grinder | u3 mug grinder shoes
    //   u4 bt-earbuds bt-sport shoes | u5 bt-earbuds bt-sport grinder
    //   u6 bt-earbuds mug bt-sport (hit at 3) | u7 bt-earbuds mug bt-sport
    //   u8 bt-earbuds (hit at 1) mug bt-sport
    // precision (1/3 + 1/3)/8 = 1/12; recall 2/8; hit rate 2/8;
    // NDCG (1/log2 4 + 1)/8 = 0.1875; MAP (1/3 + 1)/8 = 1/6;
    // coverage {mug, grinder, shoes, bt-sport, bt-earbuds} = 5/12.
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--split",
        "temporal",
        "--k",
        "3",
        "--models",
        "popular",
        "--json",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let r = &v["results"][0];
    let expected = [
        ("precision", 1.0 / 12.0),
        ("recall", 0.25),
        ("hitRate", 0.25),
        ("ndcg", 0.1875),
        ("map", 1.0 / 6.0),
        ("coverage", 5.0 / 12.0),
    ];
    for (metric, want) in expected {
        let got = r[metric].as_f64().unwrap();
        assert!((got - want).abs() < 1e-9, "{metric}: {got} != {want}");
    }
    assert_eq!(r["users"], 8);
}

#[test]
fn eval_table_output() {
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--k",
        "4",
        "--models",
        "popular,content",
    ]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(
        text.contains("| model | users | P@4 | R@4 | NDCG@4 | MAP@4 |"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("| popular | 8 |")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("| content | 8 |")),
        "{text}"
    );
}

#[test]
fn eval_with_k_zero_is_refused_or_finite() {
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--k",
        "0",
        "--json",
    ]);
    if out.status.success() {
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        for r in v["results"].as_array().unwrap() {
            for metric in ["precision", "recall", "ndcg", "map", "hitRate", "coverage"] {
                assert!(r[metric].is_number(), "{metric} in {r}");
            }
        }
    } else {
        assert!(out.stdout.is_empty());
    }
}

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

#[test]
fn missing_files_are_named_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\n").unwrap();
    let missing = dir.path().join("no-such-catalogue.json");
    let out = run(&["recommend", "--catalog", p(&missing), "--users", p(&users)]);
    assert_fails(&out, &["could not read catalogue from", p(&missing)]);

    let missing_log = dir.path().join("no-such-log.csv");
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&missing_log),
        "--users",
        p(&users),
    ]);
    assert_fails(&out, &["could not read interactions from", p(&missing_log)]);

    let missing_users = dir.path().join("no-such-users.txt");
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--users",
        p(&missing_users),
    ]);
    assert_fails(&out, &["could not read users from", p(&missing_users)]);

    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&missing_log),
        "--json",
    ]);
    assert_fails(&out, &[p(&missing_log)]);
    let out = run(&["similar", "--catalog", p(&missing), "--item", "mug"]);
    assert_fails(&out, &[p(&missing)]);
    let missing_config = dir.path().join("cfg.json");
    let out = run(&[
        "similar",
        "--catalog",
        p(&shop_file()),
        "--item",
        "mug",
        "--config",
        p(&missing_config),
    ]);
    assert_fails(&out, &["could not read config from", p(&missing_config)]);
}

#[test]
fn bad_catalogues_give_the_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\n").unwrap();
    let dup = dir.path().join("dup.json");
    std::fs::write(
        &dup,
        r#"{"items": [{"id": "a", "title": "x"}, {"id": "a", "title": "y"}]}"#,
    )
    .unwrap();
    let out = run(&["recommend", "--catalog", p(&dup), "--users", p(&users)]);
    assert_fails(
        &out,
        &[p(&dup), "$.items[1].id", "first seen at $.items[0].id"],
    );

    let wrong = dir.path().join("wrong.json");
    std::fs::write(&wrong, r#"[{"id": "a", "price": {"eur": 3}}]"#).unwrap();
    let out = run(&["similar", "--catalog", p(&wrong), "--item", "a"]);
    assert_fails(
        &out,
        &["$[0].price", "expected a finite number, got an object"],
    );

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "[\n  {\"id\": \"a\",}\n]").unwrap();
    let out = run(&[
        "eval",
        "--catalog",
        p(&broken),
        "--interactions",
        p(&log_file()),
    ]);
    assert_fails(&out, &[p(&broken), "invalid JSON at line 2"]);

    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "[]").unwrap();
    let out = run(&[
        "split",
        "--catalog",
        p(&empty),
        "--interactions",
        p(&log_file()),
        "--out-dir",
        p(&dir.path().join("o")),
    ]);
    assert_fails(&out, &["holds no items"]);
}

#[test]
fn bad_interactions_and_config_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\n").unwrap();
    let nan = dir.path().join("nan.csv");
    std::fs::write(&nan, "user,item,weight\nu1,mug,1\nu1,teapot,NaN\n").unwrap();
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&nan),
        "--users",
        p(&users),
    ]);
    assert_fails(
        &out,
        &[p(&nan), "line 3", "weight \"NaN\" is not a finite number"],
    );

    let header_only = dir.path().join("header.csv");
    std::fs::write(&header_only, "user,item\n").unwrap();
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&header_only),
    ]);
    assert_fails(&out, &["no usable interactions"]);

    let config = dir.path().join("cfg.json");
    std::fs::write(&config, r#"{"itemKnn": {"neighbors": 5}}"#).unwrap();
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--config",
        p(&config),
        "--users",
        p(&users),
    ]);
    assert_fails(&out, &[p(&config), "unknown field `neighbors`"]);
    std::fs::write(&config, r#"{"hybrid": {"weights": {"content": -1}}}"#).unwrap();
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--config",
        p(&config),
        "--users",
        p(&users),
    ]);
    assert_fails(&out, &["hybrid.weights.content", "got -1"]);
}

#[test]
fn unknown_names_list_what_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\n").unwrap();
    let accepted = "accepted: popular, content, item-knn, user-knn, sequential, ease, als, hybrid";
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--users",
        p(&users),
        "--model",
        "svd",
    ]);
    assert_fails(&out, &["unknown model \"svd\"", accepted]);
    let out = run(&[
        "similar",
        "--catalog",
        p(&shop_file()),
        "--item",
        "mug",
        "--model",
        "svd",
    ]);
    assert_fails(&out, &[accepted]);
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--models",
        "popular,svd",
        "--json",
    ]);
    assert_fails(&out, &[accepted]);
    let out = run(&[
        "split",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--split",
        "weekly",
        "--out-dir",
        p(dir.path()),
    ]);
    assert_fails(
        &out,
        &["unknown split \"weekly\"; accepted: random, temporal"],
    );
    let out = run(&["similar", "--catalog", p(&shop_file()), "--item", "nope"]);
    assert_fails(&out, &["unknown item id \"nope\""]);
    let out = run(&[
        "similar",
        "--catalog",
        p(&shop_file()),
        "--item",
        "mug",
        "--model",
        "item-knn",
    ]);
    assert_fails(&out, &["--model item-knn needs --interactions"]);
    let out = run(&[
        "eval",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--test-fraction",
        "1.5",
    ]);
    assert_fails(&out, &["testFraction", "got 1.5"]);
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--users",
        p(&users),
        "--diversity",
        "2",
    ]);
    assert_fails(&out, &["diversity", "between 0 and 1"]);
    // A missing required option is a usage error (clap exits with 2).
    let out = run(&["recommend", "--catalog", p(&shop_file())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("--users"), "{}", stderr(&out));
}

#[test]
fn search_prints_matching_items_as_json() {
    let out = run(&[
        "search",
        "--catalog",
        p(&shop_file()),
        "--query",
        "蓝牙耳机",
        "--k",
        "5",
    ]);
    assert_ok(&out);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["query"], "蓝牙耳机");
    let items = v["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 5);
    assert!(items
        .iter()
        .all(|i| i["reasons"].as_array().is_some_and(|r| !r.is_empty())));
}

#[test]
fn tune_writes_a_config_that_recommend_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("tuned.json");
    let out = run(&[
        "tune",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--split",
        "random",
        "--out",
        p(&cfg),
    ]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("validation NDCG@10"),
        "{}",
        stderr(&out)
    );
    let config = pocketrec::config::Config::from_json(std::fs::read(&cfg).unwrap())
        .expect("tune writes a valid config");
    assert!(config.item_knn.neighbours >= 1);
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "u1\n").unwrap();
    let out = run(&[
        "recommend",
        "--catalog",
        p(&shop_file()),
        "--interactions",
        p(&log_file()),
        "--users",
        p(&users),
        "--config",
        p(&cfg),
        "--k",
        "3",
    ]);
    assert_ok(&out);
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(line["items"].as_array().unwrap().len(), 3);
}
