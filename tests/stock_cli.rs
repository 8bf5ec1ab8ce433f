//! `pocketrec stock`, run as a process: the outputs, and bad input.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pocketrec"))
        .args(args)
        .output()
        .expect("the pocketrec binary runs")
}

/// Twelve weeks (Monday 2024-01-01 to Sunday 2024-03-24) of three products
/// and one customer, with a return, a zero-quantity line and a line in a
/// thirteenth, partial week.
fn log() -> String {
    let mut text =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    for week in 0..12 {
        let day = 1 + 7 * week;
        let date = if day <= 31 {
            format!("2024-01-{day:02}")
        } else if day <= 60 {
            format!("2024-02-{:02}", day - 31)
        } else {
            format!("2024-03-{:02}", day - 60)
        };
        text += &format!(
            "{week},MUG,\"Mug, blue\",{},{date} 10:00:00,2.5,17850\n",
            10 + week % 3
        );
        text += &format!(
            "{week},POT,Teapot,{},{date} 11:00:00,20,17850\n",
            1 + week % 2
        );
        if week % 4 == 0 {
            text += &format!("{week},LAMP,Lamp,2,{date} 12:00:00,15,\n");
        }
    }
    text += "C99,MUG,\"Mug, blue\",-3,2024-02-14 09:00:00,2.5,17850\n";
    text += "100,POT,Teapot,0,2024-02-15 09:00:00,20,17850\n";
    text += "101,MUG,\"Mug, blue\",50,2024-03-26 09:00:00,2.5,17850\n";
    text
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The command with `extra` flags, and `--service-level 95` and `--period
/// week` unless `extra` gives them.
fn stock_args<'a>(orders: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "stock",
        "--orders",
        orders,
        "--lead-time",
        "2",
        "--out",
        out,
    ];
    for (flag, value) in [("--service-level", "95"), ("--period", "week")] {
        if !extra.contains(&flag) {
            args.extend([flag, value]);
        }
    }
    args.extend(extra);
    args
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn json_and_csv_plans_parse_and_agree() {
    let dir = tempfile::tempdir().unwrap();
    let orders = write(dir.path(), "orders.csv", &log());
    let stock = write(dir.path(), "stock.csv", "sku,on_hand\nMUG,4\nPOT,30\n");
    let (json, csv) = (dir.path().join("plan.json"), dir.path().join("plan.csv"));
    for out in [&json, &csv] {
        let args = stock_args(
            orders.to_str().unwrap(),
            out.to_str().unwrap(),
            &["--stock", stock.to_str().unwrap()],
        );
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let summary = stderr(&o);
        assert!(
            summary.contains("stock: 3 products (A 2, B 1, C 0; 0 unsold left out), 12 weeks from 2024-01-01 to 2024-03-26"),
            "{summary}"
        );
    }
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(plan["period"], "week");
    assert_eq!(plan["periodDays"], 7.0);
    assert_eq!(plan["history"]["first"], "2024-01-01");
    assert_eq!(plan["history"]["periods"], 12);
    assert_eq!(plan["leadTime"], 2);
    assert_eq!(plan["read"]["returns"], 1);
    assert_eq!(plan["read"]["skipped"][0]["reason"], "quantity 0");
    assert_eq!(plan["matrix"].as_object().unwrap().len(), 9);
    let products = plan["products"].as_array().unwrap();
    // MUG has 4 units for about 22 a fortnight: the most urgent. LAMP's
    // stock is unknown: last.
    assert_eq!(products[0]["id"], "MUG");
    assert_eq!(products[0]["title"], "Mug, blue");
    assert_eq!(products[2]["id"], "LAMP");
    assert_eq!(products[2]["stock"], Value::Null);
    assert_eq!(products[2]["stockoutRisk"], Value::Null);
    assert_eq!(products[0]["sales"].as_array().unwrap().len(), 12);
    assert_eq!(
        products[0]["forecast"]["point"].as_array().unwrap().len(),
        2
    );
    // The return nets out of week 7 (10 − 3 = 7 units); the partial 13th
    // week is not in the series but is in the totals (132 − 3 + 50 units).
    assert_eq!(products[0]["sales"][6], 7.0);
    assert_eq!(products[0]["units"], 179.0);
    assert_eq!(products[0]["returnedUnits"], 3.0);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.join(","), "id,title,abc,xyz,revenue,units,returnedUnits,cv,model,leadTimeDemand,lower,upper,safetyStock,reorderPoint,stock,daysOfCover,stockoutRisk,orderQuantity");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), products.len());
    for (row, p) in rows.iter().zip(products) {
        for (i, name) in header.iter().enumerate() {
            let cell = &row[i];
            match &p[name.as_str()] {
                Value::Null => assert_eq!(cell, "", "{name}"),
                Value::String(s) => assert_eq!(cell, s, "{name}"),
                Value::Number(n) => {
                    let a = n.as_f64().unwrap();
                    let b: f64 = cell.parse().unwrap();
                    assert!(
                        (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                        "{name}: {a} vs {b}"
                    );
                }
                other => panic!("{name}: unexpected {other}"),
            }
        }
    }
}

#[test]
fn as_of_plans_from_the_earlier_lines() {
    let dir = tempfile::tempdir().unwrap();
    let orders = write(dir.path(), "orders.csv", &log());
    let out = dir.path().join("plan.json");
    let args = stock_args(
        orders.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--as-of", "2024-02-05", "--period", "month"],
    );
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(plan["asOf"], "2024-02-04");
    assert_eq!(plan["period"], "month");
    // January is full; February has four days and is dropped.
    assert_eq!(plan["history"]["periods"], 1);
    let mug = &plan["products"].as_array().unwrap()[0];
    assert_eq!(mug["sales"][0], 10.0 + 11.0 + 12.0 + 10.0 + 11.0);
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.json");
    let out = out.to_str().unwrap();
    let fails = |orders: &str, extra: &[&str]| -> String {
        let path = write(dir.path(), "bad.csv", orders);
        let args = stock_args(path.to_str().unwrap(), out, extra);
        let o = run(&args);
        assert!(!o.status.success(), "{orders:?} {extra:?} should fail");
        stderr(&o)
    };
    let e = fails("", &[]);
    assert!(e.contains("orders: the CSV is empty"), "{e}");
    let e = fails("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice\n", &[]);
    assert!(e.contains("the log has a header but no lines"), "{e}");
    let e = fails(
        "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice\n1,a,2,2024-01-01,1\n2,B,1,2024-01-02,-11062.06\n",
        &[],
    );
    assert!(
        e.contains("orders line 3: unit price -11062.06 for product \"B\" is negative"),
        "{e}"
    );
    let e = fails(
        "InvoiceNo,StockCode,Quantity,InvoiceDate\nC1,a,-1,2024-01-01\nC2,a,-2,2024-01-02\n",
        &[],
    );
    assert!(
        e.contains("no sales among 2 lines (2 returns or cancellations"),
        "{e}"
    );
    let catalog = write(
        dir.path(),
        "c.json",
        r#"{"items": [{"id": "a", "title": "A", "price": 3}]}"#,
    );
    let e = fails(
        "user,item,quantity,timestamp\nu,a,1,2024-01-01\nu,zz,1,2024-01-02\n",
        &["--catalog", catalog.to_str().unwrap()],
    );
    assert!(
        e.contains("orders line 3: product \"zz\" is not in the catalogue"),
        "{e}"
    );
    let good = log();
    let stock = write(dir.path(), "s.csv", "id,stock\nMUG,3\nNOPE,1\n");
    let e = fails(&good, &["--stock", stock.to_str().unwrap()]);
    assert!(
        e.contains("stock line 3: product \"NOPE\" is not in the plan"),
        "{e}"
    );
    let stock = write(dir.path(), "s.csv", "id,stock\nMUG,three\n");
    let e = fails(&good, &["--stock", stock.to_str().unwrap()]);
    assert!(
        e.contains("stock line 2: stock \"three\" for product \"MUG\" is not a number"),
        "{e}"
    );
    let e = fails(&good, &["--as-of", "2023-06-01"]);
    assert!(e.contains("no lines before 2023-06-01"), "{e}");
    let e = fails(&good, &["--as-of", "June"]);
    assert!(e.contains("asOf: must be a date YYYY-MM-DD"), "{e}");
    let e = fails(&good, &["--period", "day"]);
    assert!(e.contains("must be week or month, got \"day\""), "{e}");
    let e = fails(&good, &["--service-level", "100"]);
    assert!(
        e.contains("serviceLevel: must be a percentage in [50, 100), got 100"),
        "{e}"
    );
    let txt = dir.path().join("plan.txt");
    let o = run(&stock_args("x.csv", txt.to_str().unwrap(), &[]));
    assert!(
        stderr(&o).contains("written as .json or .csv"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn skip_bad_lines_plans_without_the_bad_lines_and_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let orders = write(
        dir.path(),
        "orders.csv",
        &(log() + "200,B,1,2024-01-02 10:00:00,-11062.06,\n"),
    );
    let out = dir.path().join("plan.csv");
    let args = stock_args(
        orders.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--skip-bad-lines"],
    );
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped 1 line(s) of"),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(!text.contains("\nB,"));
}
