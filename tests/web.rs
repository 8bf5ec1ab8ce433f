//! The wasm bindings in headless Chromium (wasm-bindgen-test):
//! conversions, typed-array inputs, error codes and messages.
//!
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown
//! --no-default-features --features wasm-recommend,wasm-forecast --test web`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float32Array, Reflect, Uint32Array};
use pocketrec::wasm::engine::Engine;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SHOP: &str = r#"{"items": [
  {"id": "mug", "title": "Blue ceramic mug", "category": "kitchen", "price": 9},
  {"id": "teapot", "title": "Ceramic teapot", "category": "kitchen", "price": 25},
  {"id": "cups", "title": "Blue ceramic cups", "category": "kitchen", "price": 12},
  {"id": "lamp", "title": "Desk lamp", "category": "office", "price": 30, "inStock": false},
  {"id": "earbuds", "title": "无线蓝牙耳机", "category": "audio", "price": 60}
]}"#;

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn ids(results: &JsValue) -> Vec<String> {
    Array::from(results)
        .iter()
        .map(|r| get(&r, "id").as_string().unwrap())
        .collect()
}

fn code(error: &JsValue) -> String {
    get(error, "code").as_string().unwrap()
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

#[wasm_bindgen_test]
fn catalogue_from_text_and_from_object() {
    let a = Engine::new(SHOP.into(), JsValue::UNDEFINED).unwrap();
    let b = Engine::new(json(SHOP), JsValue::NULL).unwrap();
    assert_eq!(a.item_count(), 5);
    assert_eq!(a.item_ids(), b.item_ids());
    assert_eq!(a.item_index("cups"), Some(2));
    assert_eq!(a.item_index("nope"), None);
}

#[wasm_bindgen_test]
fn similar_items_are_plain_objects_with_reasons() {
    let mut e = Engine::new(SHOP.into(), JsValue::UNDEFINED).unwrap();
    let results = e
        .similar_items("mug", json(r#"{"k": 2, "model": "content"}"#))
        .unwrap();
    assert!(Array::is_array(&results));
    assert_eq!(ids(&results)[0], "cups");
    let first = Array::from(&results).get(0);
    assert!(get(&first, "score").as_f64().unwrap() > 0.0);
    let reasons = Array::from(&get(&first, "reasons"));
    assert_eq!(
        get(&reasons.get(0), "kind").as_string().unwrap(),
        "sharedFeature"
    );
    // Plain objects, not Maps: JSON.stringify sees the fields.
    let text: String = js_sys::JSON::stringify(&results).unwrap().into();
    assert!(text.contains(r#""id":"cups""#), "{text}");
}

#[wasm_bindgen_test]
fn typed_array_interactions_feed_item_knn() {
    let mut e = Engine::new(SHOP.into(), JsValue::UNDEFINED).unwrap();
    let (mug, teapot, cups) = (
        e.item_index("mug").unwrap(),
        e.item_index("teapot").unwrap(),
        e.item_index("cups").unwrap(),
    );
    // Users 0, 1, 2 bought mug and teapot; user 3 bought cups.
    let users = Uint32Array::from(&[0u32, 0, 1, 1, 2, 2, 3][..]);
    let items = Uint32Array::from(&[mug, teapot, mug, teapot, mug, teapot, cups][..]);
    let weights = Float32Array::from(&[1.0f32, 1.0, 2.0, 1.0, 1.0, 3.0, 1.0][..]);
    let warnings = e
        .load_interactions_columns(
            &users.to_vec(),
            &items.to_vec(),
            Some(weights.to_vec()),
            None,
        )
        .unwrap();
    assert!(warnings.is_empty());
    e.fit().unwrap();
    let results = e
        .recommend(
            json(r#"[{"item": "mug"}]"#),
            json(r#"{"k": 2, "model": "item-knn"}"#),
        )
        .unwrap();
    assert_eq!(ids(&results)[0], "teapot");
    assert!(
        !ids(&results).contains(&"mug".to_string()),
        "history items are never returned"
    );
}

#[wasm_bindgen_test]
fn csv_and_json_interactions_report_skipped_rows() {
    let mut e = Engine::new(SHOP.into(), JsValue::UNDEFINED).unwrap();
    let warnings = e
        .load_interactions_csv("user,item\nu,mug\nu,ghost\n")
        .unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("not in the catalogue"), "{warnings:?}");
    let warnings = e
        .load_interactions_json(json(
            r#"[{"user": "u", "item": "mug"}, {"user": "v", "item": "cups"}]"#,
        ))
        .unwrap();
    assert!(warnings.is_empty());
    assert_eq!(
        ids(&e.popular(json(r#"{"k": 2}"#)).unwrap()),
        ["mug", "cups"]
    );
}

#[wasm_bindgen_test]
fn filters_search_and_cjk() {
    let mut e = Engine::new(SHOP.into(), JsValue::UNDEFINED).unwrap();
    let hits = e.search("蓝牙", JsValue::UNDEFINED).unwrap();
    assert_eq!(ids(&hits), ["earbuds"]);
    let results = e
        .similar_items(
            "teapot",
            json(r#"{"k": 5, "filter": {"inStockOnly": true, "maxPrice": 20}}"#),
        )
        .unwrap();
    assert!(
        ids(&results).iter().all(|id| id == "mug" || id == "cups"),
        "{:?}",
        ids(&results)
    );
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_stable_codes() {
    let e = Engine::new(r#"[{"id": "a"}, {"id": "a"}]"#.into(), JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(code(&e), "duplicate_id");
    assert_eq!(get(&e, "name").as_string().unwrap(), "PocketrecError");
    let message = get(&e, "message").as_string().unwrap();
    assert!(
        message.contains("$[1].id") && message.contains("$[0].id"),
        "{message}"
    );
    assert_eq!(
        code(&Engine::new("{".into(), JsValue::UNDEFINED).err().unwrap()),
        "invalid_json"
    );
    assert_eq!(
        code(
            &Engine::new(SHOP.into(), json(r#"{"itemKnn": {"neighbours": 0}}"#))
                .err()
                .unwrap()
        ),
        "invalid_config"
    );

    let mut e = Engine::new(SHOP.into(), JsValue::UNDEFINED).unwrap();
    let err = e.similar_items("ghost", JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code(&err), "unknown_item");
    let err = e.recommend(json("[]"), json(r#"{"kk": 3}"#)).err().unwrap();
    assert_eq!(code(&err), "invalid_value");
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("unknown field `kk`"));
    let err = e
        .recommend(
            json(r#"[{"item": "mug", "weight": "heavy"}]"#),
            JsValue::UNDEFINED,
        )
        .err()
        .unwrap();
    assert_eq!(code(&err), "invalid_value");
    let err = e
        .load_interactions_columns(&[0, 1], &[0], None, None)
        .err()
        .unwrap();
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("equal lengths"));
    let err = e
        .load_interactions_columns(&[0], &[0], Some(vec![f32::NAN]), None)
        .err()
        .unwrap();
    assert_eq!(code(&err), "invalid_value");
    assert!(
        get(&err, "message")
            .as_string()
            .unwrap()
            .starts_with("weights[0]:"),
        "{:?}",
        get(&err, "message")
    );
    let err = e
        .load_interactions_columns(&[0], &[99], None, None)
        .err()
        .unwrap();
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .starts_with("items[0]:"));
    // The engine still works after every error.
    assert_eq!(
        ids(&e
            .similar_items("mug", json(r#"{"k": 1, "model": "content"}"#))
            .unwrap()),
        ["cups"]
    );
}

fn message(error: &JsValue) -> String {
    get(error, "message").as_string().unwrap()
}

#[wasm_bindgen_test]
fn forecast_takes_arrays_and_float64_arrays_alike() {
    use pocketrec::wasm::forecast::forecast;
    let values: Vec<f64> = (0..36)
        .map(|t| 100.0 + t as f64 + [0.0, 5.0, 10.0, 5.0][t % 4])
        .collect();
    let array: Array = values.iter().map(|&v| JsValue::from(v)).collect();
    let typed = js_sys::Float64Array::from(&values[..]);
    let options = json(r#"{"horizon": 8, "seasonLength": 4, "levels": [80, 95]}"#);
    let a = forecast(array.into(), options.clone()).unwrap();
    let b = forecast(typed.into(), options).unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&a).unwrap(),
        js_sys::JSON::stringify(&b).unwrap()
    );
    let point: Vec<f64> = Array::from(&get(&a, "point"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(point.len(), 8);
    assert_eq!(get(&a, "seasonLength").as_f64(), Some(4.0));
    let intervals = Array::from(&get(&a, "intervals"));
    let (i80, i95) = (intervals.get(0), intervals.get(1));
    assert_eq!(get(&i80, "level").as_f64(), Some(80.0));
    for h in 0..8 {
        let at =
            |band: &JsValue, side: &str| Array::from(&get(band, side)).get(h).as_f64().unwrap();
        assert!(at(&i95, "lower") <= at(&i80, "lower") && at(&i80, "lower") <= point[h as usize]);
        assert!(point[h as usize] <= at(&i80, "upper") && at(&i80, "upper") <= at(&i95, "upper"));
    }
    // Defaults: no options at all.
    let c = forecast(typed_of(&values), JsValue::UNDEFINED).unwrap();
    assert_eq!(Array::from(&get(&c, "point")).length(), 12);
}

fn typed_of(values: &[f64]) -> JsValue {
    js_sys::Float64Array::from(values).into()
}

#[wasm_bindgen_test]
fn forecast_gives_a_reorder_suggestion_on_request() {
    use pocketrec::wasm::forecast::forecast;
    let values = vec![10.0; 24];
    let options =
        json(r#"{"horizon": 6, "inventory": {"leadTime": 2, "serviceLevel": 95, "stock": 25}}"#);
    let result = forecast(typed_of(&values), options).unwrap();
    let inventory = get(&result, "inventory");
    assert_eq!(get(&inventory, "leadTime").as_f64(), Some(2.0));
    assert!((get(&inventory, "leadTimeDemand").as_f64().unwrap() - 20.0).abs() < 1e-6);
    let reorder = get(&inventory, "reorderPoint").as_f64().unwrap();
    assert!(reorder >= 20.0, "{reorder}");
    assert_eq!(get(&inventory, "stockoutPeriod").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
fn arima_of_a_chosen_order_carries_its_criteria() {
    use pocketrec::wasm::forecast::forecast;
    let values: Vec<f64> = (0..60)
        .map(|t| 100.0 + 2.0 * t as f64 + ((t * 7) % 5) as f64)
        .collect();
    let options =
        json(r#"{"horizon": 6, "seasonLength": 1, "model": "arima", "order": [1, 1, 1]}"#);
    let result = forecast(typed_of(&values), options).unwrap();
    let fit = get(&result, "fit");
    let order: Vec<f64> = Array::from(&get(&fit, "order"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(order, [1.0, 1.0, 1.0]);
    let (loglik, k) = (
        get(&fit, "loglik").as_f64().unwrap(),
        get(&fit, "k").as_f64().unwrap(),
    );
    assert!((get(&fit, "aic").as_f64().unwrap() - (-2.0 * loglik + 2.0 * k)).abs() < 1e-9);
    assert!(get(&fit, "bic").as_f64().is_some() && get(&fit, "aicc").as_f64().is_some());
    let error = forecast(
        typed_of(&values),
        json(r#"{"model": "arima", "order": [1, 3, 1]}"#),
    )
    .unwrap_err();
    assert_eq!(code(&error), "invalid_config");
    assert!(
        message(&error).contains("d in 0..=2, got (1, 3, 1)"),
        "{}",
        message(&error)
    );
}

#[wasm_bindgen_test]
fn forecast_errors_name_the_value_or_option() {
    use pocketrec::wasm::forecast::forecast;
    let cases: [(JsValue, &str, &str, &str); 5] = [
        (
            json(r#"[1, 2, "three", 4]"#),
            "{}",
            "invalid_value",
            "values[2]: expected a number, got the string \"three\"",
        ),
        (
            json(r#"{"a": 1}"#),
            "{}",
            "invalid_value",
            "values: expected an array of numbers or a Float64Array",
        ),
        (
            json("[1, 2, 3, 4, 5, 6]"),
            r#"{"horizn": 3}"#,
            "invalid_json",
            "horizn",
        ),
        (
            json("[1, 2, 3, 4, 5, 6]"),
            r#"{"horizon": 0}"#,
            "invalid_config",
            "horizon",
        ),
        (
            json("[1, 2, 3, 4, 5, 6]"),
            r#"{"inventory": {"leadTime": 13}}"#,
            "invalid_config",
            "leadTime",
        ),
    ];
    for (values, options, want_code, want_message) in cases {
        let error = forecast(values, json(options)).unwrap_err();
        assert_eq!(
            get(&error, "name").as_string().as_deref(),
            Some("PocketrecError")
        );
        assert_eq!(code(&error), want_code, "{}", message(&error));
        assert!(
            message(&error).contains(want_message),
            "{}",
            message(&error)
        );
    }
    let nan = forecast(typed_of(&[1.0, f64::NAN, 3.0]), JsValue::UNDEFINED).unwrap_err();
    assert!(message(&nan).contains("values[1]"), "{}", message(&nan));
}
