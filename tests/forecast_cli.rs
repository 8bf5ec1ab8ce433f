//! `pocketrec forecast` and `pocketrec forecast-eval`, run as a process.
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

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn seasonal(n: usize) -> Vec<f64> {
    (0..n)
        .map(|t| 50.0 + t as f64 + [0.0, 5.0, 10.0, 5.0][t % 4] * 3.0)
        .collect()
}

#[test]
fn forecast_writes_one_line_per_series_and_survives_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    let out = dir.path().join("out.jsonl");
    let good: Vec<f64> = seasonal(40);
    let text = serde_json::json!({"series": [
        {"id": "good", "values": good},
        {"id": "has-nan", "values": [1.0, null, 3.0]},
        {"id": "empty", "values": []},
        {"id": "sparse", "values": [0, 0, 2, 0, 0, 0, 3, 0, 0, 1, 0, 0, 0, 2]},
    ]});
    std::fs::write(&input, text.to_string()).unwrap();
    let o = run(&[
        "forecast",
        "--input",
        input.to_str().unwrap(),
        "--horizon",
        "6",
        "--season",
        "4",
        "--level",
        "80,95",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("\"has-nan\"") && stderr.contains("values[1]"),
        "{stderr}"
    );
    assert!(stderr.contains("\"empty\""), "{stderr}");
    let rows = lines(&out);
    assert_eq!(rows.len(), 4);
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["good", "has-nan", "empty", "sparse"]);
    for r in &rows {
        assert_eq!(r["point"].as_array().unwrap().len(), 6);
        let iv = r["intervals"].as_array().unwrap();
        assert_eq!(iv[0]["level"], 80);
        assert_eq!(iv[1]["level"], 95);
        assert_eq!(iv[1]["lower"].as_array().unwrap().len(), 6);
    }
    assert!(rows[0]["model"].as_str().unwrap().starts_with("Combo("));
    assert!(rows[0].get("error").is_none());
    // The NaN series falls back to naive on its finite values: last is 3.
    assert_eq!(rows[1]["model"], "Fallback(Naive)");
    assert_eq!(rows[1]["point"][0], 3.0);
    assert!(rows[1]["error"]
        .as_str()
        .unwrap()
        .contains("values[1] must be a number, got null"));
    assert_eq!(rows[2]["model"], "Fallback(Zero)");
    assert_eq!(rows[3]["model"], "TSB");
}

#[test]
fn forecast_reads_long_form_csv() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let mut text = String::from("id,period,value\n");
    // Rows out of order: periods are sorted per id.
    for t in (0..24).rev() {
        text.push_str(&format!("a,{t},{}\n", 10 + t));
    }
    text.push_str("b,2024-02,x\nb,2024-01,4\n");
    std::fs::write(&input, text).unwrap();
    let o = run(&[
        "forecast",
        "--input",
        input.to_str().unwrap(),
        "--horizon",
        "3",
        "--model",
        "naive",
        "--level",
        "90",
    ]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["point"][0], 33.0);
    assert_eq!(rows[0]["intervals"][0]["level"], 90);
    assert_eq!(rows[1]["model"], "Fallback(Naive)");
    assert_eq!(rows[1]["point"][0], 4.0);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("line 26: value \"x\""), "{stderr}");
}

#[test]
fn forecast_rejects_bad_options_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    std::fs::write(&input, r#"{"series": [{"id": "a", "values": [1, 2, 3]}]}"#).unwrap();
    for (option, value, message) in [
        ("--model", "prophet", "unknown model"),
        ("--level", "120", "levels"),
    ] {
        let o = run(&[
            "forecast",
            "--input",
            input.to_str().unwrap(),
            "--horizon",
            "3",
            option,
            value,
        ]);
        assert!(!o.status.success(), "{option} {value}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(message),
            "{option} {value}"
        );
    }
}

#[test]
fn forecast_eval_scores_models_and_external_forecasts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.json");
    let series: Vec<Value> = (0..3)
        .map(|i| {
            let y = seasonal(40 + i);
            serde_json::json!({"id": format!("s{i}"), "train": y[..y.len() - 4], "test": y[y.len() - 4..]})
        })
        .collect();
    let doc =
        serde_json::json!({"dataset": "toy", "horizon": 4, "season_length": 4, "series": series});
    std::fs::write(&data, doc.to_string()).unwrap();
    // External forecasts: the truth itself, for one series only.
    let ext = dir.path().join("ext.jsonl");
    let y = seasonal(40);
    let truth = &y[36..];
    std::fs::write(
        &ext,
        serde_json::json!({"id": "s0", "point": truth, "intervals": [{"level": 95, "lower": truth, "upper": truth}]})
            .to_string(),
    )
    .unwrap();
    let o = run(&[
        "forecast-eval",
        "--input",
        data.to_str().unwrap(),
        "--model",
        "auto,naive2",
        "--forecasts",
        &format!("perfect={}", ext.display()),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["method"], "pocketrec auto");
    assert_eq!(results[0]["series"], 3);
    // Naive2 against itself: OWA exactly 1.
    assert!((results[1]["owa"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    let perfect = &results[2];
    assert_eq!(perfect["series"], 1);
    assert_eq!(perfect["failures"], 2);
    assert_eq!(perfect["smape"], 0.0);
    assert_eq!(perfect["coverage95"], 1.0);
    // The table form names the columns.
    let o = run(&["forecast-eval", "--input", data.to_str().unwrap()]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.contains("sMAPE") && table.contains("MSIS") && table.contains("ms/series"));
}

#[test]
fn non_negative_makes_a_negative_value_an_error_with_a_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    std::fs::write(
        &input,
        r#"{"series": [{"id": "returns", "values": [5, 4, -2, 6, 5, 7, 6, 5]}]}"#,
    )
    .unwrap();
    let path = input.to_str().unwrap();
    // Without the flag, the negative value is data.
    let o = run(&[
        "forecast",
        "--input",
        path,
        "--horizon",
        "2",
        "--model",
        "naive",
    ]);
    assert!(o.status.success());
    let row: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(row["model"], "Naive");
    assert!(row.get("error").is_none());
    // With it, the series falls back and the error names the value.
    let o = run(&[
        "forecast",
        "--input",
        path,
        "--horizon",
        "2",
        "--model",
        "naive",
        "--non-negative",
    ]);
    assert!(o.status.success());
    let row: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(row["model"], "Fallback(Naive)");
    let error = row["error"].as_str().unwrap();
    assert!(
        error.contains("values[2]") && error.contains("nonNegative"),
        "{error}"
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("\"returns\""), "{stderr}");
}

/// Runs `forecast` on `text` saved as `name`; returns (success, stdout, stderr).
fn forecast_text(name: &str, text: &[u8], extra: &[&str]) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, text).unwrap();
    let mut args = vec![
        "forecast",
        "--input",
        input.to_str().unwrap(),
        "--horizon",
        "2",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn an_unterminated_csv_quote_is_an_error_naming_its_line() {
    let (ok, stdout, stderr) = forecast_text(
        "in.csv",
        b"id,period,value\ns,1,10\n\"s,2,11\ns,3,12\n",
        &[],
    );
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("line 3") && stderr.contains("never closed"),
        "{stderr}"
    );
}

#[test]
fn csv_periods_are_sorted_as_numbers_gaps_filled_and_duplicates_refused() {
    // 10 after 9, and periods 3 and 4 missing: filled with 0, with a warning.
    let text = "id,period,value\na,10,7\na,9,6\na,1,1\na,2,2\na,5,3\na,6,4\na,7,5\na,8,5\n";
    let (ok, stdout, stderr) = forecast_text(
        "in.csv",
        text.as_bytes(),
        &["--model", "naive", "--level", "90"],
    );
    assert!(ok, "{stderr}");
    let row: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(row["point"][0], 7.0);
    assert!(
        stderr.contains("warning: series \"a\": 2 missing periods filled with 0: 3, 4"),
        "{stderr}"
    );
    let (ok, _, stderr) = forecast_text("in.csv", b"id,period,value\na,1,1\na,2,2\na,1,3\n", &[]);
    assert!(!ok);
    assert!(
        stderr.contains("line 4") && stderr.contains("line 2"),
        "{stderr}"
    );
    let (ok, _, stderr) = forecast_text("in.csv", b"id,period,value\na,2024-01,1\na,7,2\n", &[]);
    assert!(!ok);
    assert!(
        stderr.contains("line 3") && stderr.contains("YYYY-MM"),
        "{stderr}"
    );
}

#[test]
fn non_utf8_input_names_the_line_and_byte_offset() {
    let (ok, _, stderr) = forecast_text("in.json", b"{\"series\": [\n{\"id\": \"\xe9\"}]}", &[]);
    assert!(!ok);
    assert!(
        stderr.contains("line 2") && stderr.contains("byte offset 21"),
        "{stderr}"
    );
}

#[test]
fn an_input_file_over_the_size_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("huge.json");
    // Sparse: the size is checked, the bytes are never read.
    let file = std::fs::File::create(&input).unwrap();
    file.set_len(pocketrec::forecast::input::MAX_INPUT_BYTES + 1)
        .unwrap();
    let o = run(&[
        "forecast",
        "--input",
        input.to_str().unwrap(),
        "--horizon",
        "2",
    ]);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("at most") && stderr.contains("MiB"),
        "{stderr}"
    );
}

#[test]
fn huge_values_get_finite_intervals_of_nonzero_width() {
    let values: Vec<f64> = seasonal(40).iter().map(|v| v * 1e200).collect();
    let text = serde_json::json!({"series": [{"id": "big", "values": values}]}).to_string();
    let (ok, stdout, stderr) = forecast_text("in.json", text.as_bytes(), &["--season", "4"]);
    assert!(ok, "{stderr}");
    let row: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        row["model"].as_str().unwrap().starts_with("Combo(ETS"),
        "{row}"
    );
    let band = &row["intervals"][1];
    for h in 0..2 {
        let (lo, hi) = (
            band["lower"][h].as_f64().unwrap(),
            band["upper"][h].as_f64().unwrap(),
        );
        let p = row["point"][h].as_f64().unwrap();
        assert!(
            lo.is_finite() && hi.is_finite() && lo < p && p < hi,
            "{row}"
        );
    }
}

#[test]
fn forecast_eval_refuses_a_zero_horizon_no_series_and_null_test_values() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.json");
    for (doc, message) in [
        (
            r#"{"horizon": 0, "series": [{"id": "a", "train": [1, 2, 3], "test": [4]}]}"#,
            "$.horizon",
        ),
        (r#"{"horizon": 2, "series": []}"#, "no series"),
        (
            r#"{"horizon": 2, "series": [{"id": "a", "train": [1, 2, 3], "test": [4, null]}]}"#,
            "$.series[0].test[1]",
        ),
    ] {
        std::fs::write(&data, doc).unwrap();
        let o = run(&["forecast-eval", "--input", data.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{doc}");
        assert!(
            stderr.contains(message) && stderr.contains("data.json"),
            "{stderr}"
        );
    }
}

/// Forecasts one series with extra flags; returns (success, first line or
/// null, stderr).
fn forecast_one(values: &[f64], horizon: &str, extra: &[&str]) -> (bool, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    let text = serde_json::json!({"series": [{"id": "s", "values": values}]});
    std::fs::write(&input, text.to_string()).unwrap();
    let mut args = vec![
        "forecast",
        "--input",
        input.to_str().unwrap(),
        "--horizon",
        horizon,
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let line = stdout
        .lines()
        .next()
        .map_or(Value::Null, |l| serde_json::from_str(l).unwrap());
    (
        o.status.success(),
        line,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn arima_of_a_chosen_order_reports_its_criteria() {
    let y: Vec<f64> = (0..60)
        .map(|t| 100.0 + 2.0 * t as f64 + ((t * 7) % 5) as f64)
        .collect();
    let (ok, line, stderr) = forecast_one(
        &y,
        "6",
        &["--model", "arima", "--order", "1,1,1", "--season", "1"],
    );
    assert!(ok, "{stderr}");
    assert!(line["model"].as_str().unwrap().starts_with("ARIMA(1,1,1)"));
    let fit = &line["fit"];
    assert_eq!(fit["order"], serde_json::json!([1, 1, 1]));
    // 60 values, one difference: 59; conditioning start 2: n = 57.
    let (n, k) = (fit["n"].as_f64().unwrap(), fit["k"].as_f64().unwrap());
    assert_eq!(n, 57.0);
    let loglik = fit["loglik"].as_f64().unwrap();
    let aic = fit["aic"].as_f64().unwrap();
    assert!((aic - (-2.0 * loglik + 2.0 * k)).abs() < 1e-9);
    let aicc = fit["aicc"].as_f64().unwrap();
    assert!((aicc - (aic + 2.0 * k * (k + 1.0) / (n - k - 1.0))).abs() < 1e-9);
    let bic = fit["bic"].as_f64().unwrap();
    assert!((bic - (-2.0 * loglik + k * n.ln())).abs() < 1e-9);
    // Every field the line had before is still there.
    for key in ["id", "model", "point", "intervals"] {
        assert!(line.get(key).is_some(), "{key}");
    }
    // The chosen ETS reports its criteria too; the combination does not.
    let (_, ets, _) = forecast_one(&y, "6", &["--model", "ets"]);
    assert!(ets["fit"]["aicc"].is_number() && ets["fit"].get("order").is_none());
    let (_, auto, _) = forecast_one(&y, "6", &[]);
    assert!(auto.get("fit").is_none());
}

#[test]
fn bad_arima_orders_say_what_arrived_and_what_is_accepted() {
    let y: Vec<f64> = (0..12).map(|t| 10.0 + t as f64).collect();
    for (order, model, message) in [
        ("1,1", "arima", "three whole numbers"),
        ("-1,1,1", "arima", "three whole numbers"),
        ("a,b,c", "arima", "three whole numbers"),
        ("1,3,1", "arima", "d in 0..=2, got (1, 3, 1)"),
        ("6,0,0", "arima", "p and q in 0..=5"),
        ("1,1,1", "ets", "only to model arima, got model ets"),
    ] {
        let (ok, _, stderr) = forecast_one(&y, "3", &["--model", model, "--order", order]);
        assert!(!ok, "{order}");
        assert!(stderr.contains(message), "{order}: {stderr}");
    }
    // Too long for the series: that series falls back and says why.
    let (ok, line, stderr) = forecast_one(
        &y,
        "3",
        &["--model", "arima", "--order", "5,1,5", "--season", "1"],
    );
    assert!(ok, "{stderr}");
    assert_eq!(line["model"], "Fallback(Naive)");
    let error = line["error"].as_str().unwrap();
    assert!(
        error.contains("ARIMA(5,1,5) needs at least 21 values, the series has 12"),
        "{error}"
    );
}

#[test]
fn lead_time_adds_the_reorder_plan_of_the_wasm_api() {
    let y = vec![
        10.0, 12.0, 9.0, 11.0, 10.0, 13.0, 9.0, 10.0, 11.0, 12.0, 10.0, 9.0,
    ];
    let (ok, line, stderr) = forecast_one(
        &y,
        "6",
        &[
            "--model",
            "naive",
            "--lead-time",
            "3",
            "--service-level",
            "90",
            "--stock",
            "25",
        ],
    );
    assert!(ok, "{stderr}");
    let inv = &line["inventory"];
    assert_eq!(inv["leadTime"], 3);
    assert_eq!(inv["serviceLevel"], 90.0);
    // Naive: 9 per period, so 27 over the lead time, and 25 in stock runs
    // out in period 3.
    assert!((inv["leadTimeDemand"].as_f64().unwrap() - 27.0).abs() < 1e-9);
    assert_eq!(inv["stockoutPeriod"], 3);
    let safety = inv["safetyStock"].as_f64().unwrap();
    assert!(safety > 0.0);
    assert!((inv["reorderPoint"].as_f64().unwrap() - 27.0 - safety).abs() < 1e-9);
    // Without --stock the stock-out period is null; the default service
    // level is 95, so the safety stock grows.
    let (_, line95, _) = forecast_one(&y, "6", &["--model", "naive", "--lead-time", "3"]);
    assert_eq!(line95["inventory"]["serviceLevel"], 95.0);
    assert!(line95["inventory"]["stockoutPeriod"].is_null());
    assert!(line95["inventory"]["safetyStock"].as_f64().unwrap() > safety);
    // Without --lead-time there is no inventory object.
    let (_, plain, _) = forecast_one(&y, "6", &["--model", "naive"]);
    assert!(plain.get("inventory").is_none());
}

#[test]
fn bad_inventory_options_are_refused_before_forecasting() {
    let y = vec![10.0; 12];
    for (extra, message) in [
        (
            &["--lead-time", "7"][..],
            "--lead-time must be in 1..=6 (the forecast horizon), got 7",
        ),
        (&["--lead-time", "0"][..], "--lead-time must be in 1..=6"),
        (
            &["--lead-time", "2", "--service-level", "100"][..],
            "--service-level must be a percentage in [50, 100), got 100",
        ),
        (
            &["--lead-time", "2", "--stock", "-5"][..],
            "--stock must be a finite number ≥ 0, got -5",
        ),
        (&["--stock", "5"][..], "need --lead-time"),
    ] {
        let (ok, line, stderr) = forecast_one(&y, "6", extra);
        assert!(!ok, "{extra:?}");
        assert!(line.is_null(), "{extra:?}: no line is written");
        assert!(stderr.contains(message), "{extra:?}: {stderr}");
    }
}
