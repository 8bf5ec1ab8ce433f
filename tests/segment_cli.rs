//! `pocketrec segment`, run as a process: the output shape and bad input.
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pocketrec"))
        .args(args)
        .output()
        .expect("the pocketrec binary runs")
}

/// Three kinds of customer, three of each: loyal big spenders, middling
/// ones, lapsed one-off small spenders; plus an anonymous sale and a
/// customer with only a return.
fn log() -> String {
    let mut text =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    let mut invoice = 0;
    let mut line = |customer: &str, day: String, product: &str, price: f64| {
        invoice += 1;
        text.push_str(&format!(
            "{invoice},{product},{product} thing,1,{day},{price},{customer}\n"
        ));
    };
    for c in 0..3 {
        for o in 0..20 {
            line(
                &format!("big{c}"),
                format!("2024-12-{:02}", 30 - o - c),
                "gold",
                100.0,
            );
        }
        line(
            &format!("gone{c}"),
            format!("2024-01-{:02}", 2 + c),
            "pin",
            5.0,
        );
        for o in 0..5 {
            line(
                &format!("mid{c}"),
                format!("2024-0{}-1{c}", 5 + o),
                "mug",
                20.0,
            );
        }
    }
    line("", "2024-03-01".into(), "mug", 20.0);
    text.push_str("C999,mug,mug thing,-1,2024-03-02,20,returner\n");
    text
}

fn segment(dir: &Path, orders: &str, extra: &[&str]) -> (Output, Option<Value>) {
    let input = dir.join("orders.csv");
    let out = dir.join("segments.json");
    std::fs::write(&input, orders).unwrap();
    let mut args = vec![
        "segment",
        "--orders",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    let json = std::fs::read(&out)
        .ok()
        .map(|b| serde_json::from_slice(&b).unwrap());
    (o, json)
}

#[test]
fn auto_writes_the_agreed_shape_and_a_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let (o, json) = segment(dir.path(), &log(), &["--k", "auto"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.starts_with("segment: 9 customers in 3 segments (k by silhouette"),
        "{stderr}"
    );
    let s = json.unwrap();
    assert_eq!(s["k"], 3);
    assert_eq!(s["chosenBy"], "silhouette");
    assert_eq!(s["seed"], 42);
    assert_eq!(s["restarts"], 10);
    assert_eq!(s["asOf"], "2024-12-30");
    assert_eq!(s["read"]["anonymous"], 1);
    assert_eq!(s["excluded"]["onlyReturns"], 1);
    assert_eq!(s["candidates"].as_array().unwrap().len(), 7);
    let first = &s["segments"][0];
    assert_eq!(first["name"], "recent loyal big spenders");
    assert_eq!(first["size"], 3);
    assert_eq!(first["frequency"], 20.0);
    assert_eq!(first["topProducts"][0]["id"], "gold");
    assert_eq!(first["topProducts"][0]["title"], "gold thing");
    assert_eq!(first["topCategories"], serde_json::json!([]));
    let customers = s["customers"].as_array().unwrap();
    assert_eq!(customers.len(), 9);
    assert_eq!(customers[0]["id"], "big0");
    assert_eq!(customers[0]["segment"], 0);
    // big0's last sale is on 2024-12-30, one day before the as-of day.
    assert_eq!(customers[0]["recency"], 1);
}

#[test]
fn a_given_k_and_seed_are_used_and_the_result_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--k", "2", "--seed", "7", "--restarts", "3"];
    let (o, a) = segment(dir.path(), &log(), &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, b) = segment(dir.path(), &log(), &args);
    let a = a.unwrap();
    assert_eq!(Some(&a), b.as_ref());
    assert_eq!(
        (a["k"].as_u64(), a["chosenBy"].as_str()),
        (Some(2), Some("k"))
    );
    assert!(a.get("candidates").is_none());
}

#[test]
fn as_of_cuts_the_log_and_a_catalogue_gives_categories() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalog.json");
    std::fs::write(
        &catalogue,
        r#"{"items": [{"id": "gold", "title": "Gold", "category": "jewellery"},
                      {"id": "pin", "title": "Pin", "category": "sewing"},
                      {"id": "mug", "title": "Mug", "category": "kitchen"}]}"#,
    )
    .unwrap();
    let (o, json) = segment(
        dir.path(),
        &log(),
        &[
            "--k",
            "3",
            "--catalog",
            catalogue.to_str().unwrap(),
            "--as-of",
            "2024-12-01",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = json.unwrap();
    assert_eq!(s["asOf"], "2024-11-30");
    // The big spenders' 20 orders all fall in December: they are cut.
    assert_eq!(s["customers"].as_array().unwrap().len(), 6);
    assert!(s["excluded"]["linesAfterAsOf"].as_u64().unwrap() >= 60);
    assert_eq!(s["segments"][0]["topCategories"][0]["name"], "kitchen");
}

fn error(orders: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (o, json) = segment(dir.path(), orders, extra);
    assert!(!o.status.success());
    assert!(json.is_none(), "no output on failure");
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

#[test]
fn bad_input_is_a_clear_error() {
    let header = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n";
    let e = error("", &[]);
    assert!(e.contains("the CSV is empty"), "{e}");
    let e = error(header, &[]);
    assert!(e.contains("the log has a header but no lines"), "{e}");
    let e = error(&format!("{header}1,a,1,2024-01-01,-3,u\n"), &[]);
    assert!(
        e.contains("orders line 2: unit price -3 for product \"a\" is negative"),
        "{e}"
    );
    let e = error(&format!("{header}C1,a,-1,2024-01-01,3,u\n"), &[]);
    assert!(e.contains("no sales among 1 lines"), "{e}");
    let e = error("sku,date,qty\na,2024-01-01,1\n", &[]);
    assert!(e.contains("no line names a customer"), "{e}");
    assert!(e.contains("CustomerID"), "{e}");
    let e = error(&log(), &["--k", "0"]);
    assert_eq!(
        e,
        "error: config k: must be a whole number from 1 to 100 or \"auto\", got 0"
    );
    let e = error(&log(), &["--k", "12"]);
    assert_eq!(
        e,
        "error: config k: must be at most the number of customers with a sale (9), got 12"
    );
    let e = error(&log(), &["--k", "many"]);
    assert!(e.contains("got \"many\""), "{e}");
    let e = error(&log(), &["--restarts", "0"]);
    assert!(
        e.contains("config restarts: must be between 1 and 1000, got 0"),
        "{e}"
    );
    let e = error(&log(), &["--as-of", "tomorrow"]);
    assert!(e.contains("config asOf"), "{e}");
}

#[test]
fn skip_bad_lines_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{}1,x,1,2024-06-01,-5,big0\n", log());
    let (o, json) = segment(dir.path(), &text, &["--k", "3", "--skip-bad-lines"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("1 skipped lines"), "{stderr}");
    assert_eq!(json.unwrap()["read"]["skipped"][0]["lines"], 1);
}
