//! Malformed, hostile and edge-case input: every failure is an `Error` with a
//! stable code and a message that says where, what arrived and what is
//! accepted; nothing panics.

use pocketrec::config::Config;
use pocketrec::data::catalogue::{Catalogue, CatalogueConfig, FieldConfig, FieldValues};
use pocketrec::data::history::Event;
use pocketrec::data::interactions::{InteractionConfig, Interactions};
use pocketrec::limits;
use pocketrec::recommend::{Model, Query, Recommender};
use pocketrec::Error;

const MODELS: [Model; 4] = [
    Model::Popular,
    Model::Content,
    Model::ItemKnn,
    Model::Hybrid,
];

fn catalogue(json: impl AsRef<[u8]>) -> Result<Catalogue, Error> {
    Catalogue::from_json(json, &CatalogueConfig::default())
}

/// Three items a, b, c with a little content.
fn abc() -> Catalogue {
    catalogue(
        r#"[{"id": "a", "title": "red mug", "category": "kitchen"},
            {"id": "b", "title": "blue mug", "category": "kitchen"},
            {"id": "c", "title": "garden hose", "category": "garden"}]"#,
    )
    .unwrap()
}

fn csv(text: impl AsRef<[u8]>) -> Result<Interactions, Error> {
    Interactions::from_csv(text, &abc(), &InteractionConfig::default())
}

/// Asserts the code and that the message contains every part.
#[track_caller]
fn assert_error(e: &Error, code: &str, parts: &[&str]) {
    assert_eq!(e.code(), code, "{e}");
    let message = e.to_string();
    for part in parts {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
}

// ---------------------------------------------------------------------------
// Catalogue: JSON syntax
// ---------------------------------------------------------------------------

#[test]
fn malformed_json_gives_line_and_column() {
    let text = "[\n  {\"id\": \"a\"},\n  {\"id\": \"b\" \"title\": \"x\"}\n]";
    let e = catalogue(text).unwrap_err();
    assert_error(
        &e,
        "invalid_json",
        &["catalogue: invalid JSON at line 3, column"],
    );
    match &e {
        Error::Json {
            source_name,
            line,
            column,
            message,
        } => {
            assert_eq!(source_name, "catalogue");
            assert_eq!(*line, 3);
            assert_eq!(*column, 14);
            assert_eq!(message, "expected `,` or `}`");
        }
        other => panic!("{other:?}"),
    }
    // The " at line L column C" suffix of the parser is not repeated.
    assert_eq!(
        e.to_string(),
        "catalogue: invalid JSON at line 3, column 14: expected `,` or `}`"
    );

    for (text, what) in [
        ("[{\"id\": \"a\",}]", "trailing comma"),
        ("[{\"id\": \"a\"}", "EOF while parsing"),
        ("", "EOF while parsing a value"),
        ("   \n\n", "EOF while parsing a value"),
        ("{'id': 'a'}", "key must be a string"),
        ("[{\"id\": \"a\"}] extra", "trailing characters"),
    ] {
        assert_error(
            &catalogue(text).unwrap_err(),
            "invalid_json",
            &["catalogue: invalid JSON at line", what],
        );
    }
}

#[test]
fn non_utf8_catalogue_is_invalid_json_with_position() {
    let bytes = b"[\n {\"id\": \"a\"},\n {\"id\": \"b\", \"title\": \"caf\xe9\"}\n]";
    let e = catalogue(bytes.as_slice()).unwrap_err();
    assert_error(
        &e,
        "invalid_json",
        &["catalogue: invalid JSON at line 3", "invalid unicode"],
    );
    assert!(matches!(e, Error::Json { line: 3, .. }), "{e:?}");
    // A lone byte order mark in Latin-1 or UTF-16 is no better.
    let utf16: Vec<u8> = "[{\"id\": \"a\"}]"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert_eq!(catalogue(utf16).unwrap_err().code(), "invalid_json");
}

#[test]
fn deep_nesting_is_a_json_error_not_a_stack_overflow() {
    for depth in [200, 100_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_error(
            &catalogue(&deep).unwrap_err(),
            "invalid_json",
            &["catalogue", "recursion limit exceeded"],
        );
        let in_item = format!(
            "[{{\"id\": \"a\", \"extra\": {}{}}}]",
            "{\"x\": ".repeat(depth),
            "}".repeat(depth)
        );
        assert_error(
            &catalogue(&in_item).unwrap_err(),
            "invalid_json",
            &["recursion limit exceeded"],
        );
        assert_error(
            &Config::from_json(&deep).unwrap_err(),
            "invalid_json",
            &["config: invalid JSON"],
        );
        let e = Interactions::from_json(&deep, &abc(), &InteractionConfig::default()).unwrap_err();
        assert_error(
            &e,
            "invalid_json",
            &["interactions: invalid JSON", "recursion limit exceeded"],
        );
    }
    // Moderate nesting inside an ignored field is fine.
    let ok = format!(
        "[{{\"id\": \"a\", \"extra\": {}1{}}}]",
        "[".repeat(50),
        "]".repeat(50)
    );
    let c = catalogue(ok).unwrap();
    assert_eq!(c.len(), 1);
    assert!(
        c.notes().iter().any(|n| n.contains("\"extra\"")),
        "{:?}",
        c.notes()
    );
}

// ---------------------------------------------------------------------------
// Catalogue: structure
// ---------------------------------------------------------------------------

#[test]
fn empty_catalogues_are_refused() {
    let e = catalogue("[]").unwrap_err();
    assert_error(
        &e,
        "empty_input",
        &["catalogue: $ holds no items; at least one is needed"],
    );
    let e = catalogue(r#"{"items": []}"#).unwrap_err();
    assert_error(&e, "empty_input", &["$.items holds no items"]);
}

#[test]
fn wrong_roots_say_what_is_accepted() {
    let e = catalogue(r#"{"products": [{"id": "a"}], "version": 2}"#).unwrap_err();
    assert_error(
        &e,
        "invalid_value",
        &[
            "$: expected an array of items or an object with an \"items\" array",
            r#"keys ["products", "version"]"#,
        ],
    );
    let e = catalogue(r#"{"items": {"id": "a"}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$.items: expected an array of item objects, got an object"
    );
    let e = catalogue(r#""shop""#).unwrap_err();
    assert_error(&e, "invalid_value", &["$:", "got string \"shop\""]);
    let e = catalogue("42").unwrap_err();
    assert_error(&e, "invalid_value", &["got number 42"]);
    let e = catalogue(r#"[{"id": "a"}, 3, {"id": "c"}]"#).unwrap_err();
    assert_eq!(e.to_string(), "$[1]: expected an item object, got number 3");
    let e = catalogue(r#"{"items": [{"id": "a"}, ["b"]]}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$.items[1]: expected an item object, got an array of 1 elements"
    );
}

#[test]
fn duplicate_ids_name_both_paths() {
    let e = catalogue(r#"{"items": [{"id": "a"}, {"id": "b"}, {"id": "a"}]}"#).unwrap_err();
    assert_error(
        &e,
        "duplicate_id",
        &["$.items[2].id", "$.items[0].id", "\"a\""],
    );
    assert_eq!(
        e.to_string(),
        r#"$.items[2].id: duplicate item id "a" (first seen at $.items[0].id); ids must be unique"#
    );
    assert_eq!(
        e,
        Error::DuplicateId {
            path: "$.items[2].id".into(),
            id: "a".into(),
            first_path: "$.items[0].id".into()
        }
    );
    // 7 and "7" are the same id.
    let e = catalogue(r#"[{"id": 7}, {"id": "7"}]"#).unwrap_err();
    assert_error(&e, "duplicate_id", &["$[1].id", "$[0].id", "\"7\""]);
}

#[test]
fn missing_empty_and_ill_typed_ids() {
    let e = catalogue(r#"[{"id": "a"}, {"title": "no id"}]"#).unwrap_err();
    assert_error(
        &e,
        "invalid_value",
        &["$[1].id: missing id", "a non-empty string or an integer"],
    );
    let e = catalogue(r#"[{"id": "  "}]"#).unwrap_err();
    assert_error(&e, "invalid_value", &["$[0].id: empty id"]);
    let e = catalogue(r#"[{"id": null}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0].id: expected a non-empty string or an integer, got null"
    );
    let e = catalogue(r#"[{"id": 2.5}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0].id: expected a non-empty string or an integer, got number 2.5"
    );
    let e = catalogue(r#"[{"id": {"sku": 1}}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0].id: expected a non-empty string or an integer, got an object"
    );
    // Negative and huge integers are fine ids.
    let c = catalogue(r#"[{"id": -3}, {"id": 18446744073709551615}]"#).unwrap();
    assert_eq!(c.ids(), ["-3", "18446744073709551615"]);
}

#[test]
fn wrong_field_types_name_the_path() {
    let e = catalogue(
        r#"[{"id": "a", "price": 3}, {"id": "b", "price": {"amount": 3, "currency": "EUR"}}]"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[1].price: expected a finite number, got an object"
    );
    assert_eq!(e.code(), "invalid_value");
    let e = catalogue(r#"[{"id": "a", "price": "cheap"}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"$[0].price: expected a finite number, got string "cheap""#
    );
    let e = catalogue(r#"[{"id": "a", "price": "NaN"}]"#).unwrap_err();
    assert_error(&e, "invalid_value", &["$[0].price", "\"NaN\""]);
    let e = catalogue(r#"[{"id": "a", "price": 1e999}]"#).unwrap_err();
    assert_error(&e, "invalid_json", &["number out of range"]);
    let e = catalogue(r#"[{"id": "a", "title": {"en": "mug"}}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0].title: expected text (a string), got an object"
    );
    let e = catalogue(r#"[{"id": "a", "inStock": "yes"}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"$[0].inStock: expected true or false, got string "yes""#
    );
    let e = catalogue(r#"[{"id": "a", "category": true}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0].category: expected a string or an array of strings, got boolean true"
    );
}

#[test]
fn tags_with_numbers_are_text_and_tags_with_objects_are_refused() {
    let c = catalogue(
        r#"[{"id": "a", "tags": ["mug", 7, 2.5, null, "  "]}, {"id": "b", "tags": "single"}]"#,
    )
    .unwrap();
    let tags = c
        .fields()
        .iter()
        .find(|f| f.name == "tags")
        .expect("tags field");
    assert_eq!(
        tags.values,
        FieldValues::Categorical(vec![
            vec!["mug".into(), "7".into(), "2.5".into()],
            vec!["single".into()]
        ])
    );
    let e = catalogue(
        r#"[{"id": "a", "tags": ["ok"]}, {"id": "b", "tags": ["x", {"colour": "red"}]}]"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[1].tags[1]: expected a string or an array of strings, got an object"
    );
    assert_eq!(e.code(), "invalid_value");
    let e = catalogue(r#"[{"id": "a", "tags": [["nested"]]}]"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0].tags[0]: expected a string or an array of strings, got an array of 1 elements"
    );
}

#[test]
fn huge_strings_ids_and_arrays_hit_named_limits() {
    let big = "a".repeat(limits::MAX_STRING_BYTES + 1);
    let e = catalogue(format!(
        r#"[{{"id": "a"}}, {{"id": "b", "title": "{big}"}}]"#
    ))
    .unwrap_err();
    assert_error(
        &e,
        "limit_exceeded",
        &["$[1].title: string of 1048577 bytes is longer than the limit of 1048576 bytes"],
    );
    let e = catalogue(format!(r#"[{{"id": "a", "tags": ["ok", "{big}"]}}]"#)).unwrap_err();
    assert_error(
        &e,
        "limit_exceeded",
        &["$[0].tags[1]: string of 1048577 bytes"],
    );
    // Exactly at the limit is accepted.
    let at_limit = "b".repeat(limits::MAX_STRING_BYTES);
    assert_eq!(
        catalogue(format!(r#"[{{"id": "a", "description": "{at_limit}"}}]"#))
            .unwrap()
            .len(),
        1
    );

    let long_id = "x".repeat(limits::MAX_ID_BYTES + 1);
    let e = catalogue(format!(r#"[{{"id": "{long_id}"}}]"#)).unwrap_err();
    assert_error(
        &e,
        "limit_exceeded",
        &["$[0].id: id of 513 bytes is longer than the limit of 512 bytes"],
    );

    let many: Vec<String> = (0..=limits::MAX_ARRAY_LEN)
        .map(|i| format!("\"t{i}\""))
        .collect();
    let e = catalogue(format!(r#"[{{"id": "a", "tags": [{}]}}]"#, many.join(","))).unwrap_err();
    assert_error(
        &e,
        "limit_exceeded",
        &["$[0].tags: 1025 values is more than the limit of 1024"],
    );
}

#[test]
fn tokens_past_the_per_field_limit_are_not_indexed() {
    // Documented behaviour: text past MAX_TOKENS_PER_FIELD tokens is dropped,
    // not an error. "zebra" is the 4097th token of a's description.
    let filler = vec!["filler"; limits::MAX_TOKENS_PER_FIELD].join(" ");
    let json = format!(
        r#"[{{"id": "a", "description": "{filler} zebra"}}, {{"id": "b", "description": "zebra"}}, {{"id": "c", "description": "filler"}}]"#
    );
    let rec = Recommender::fit(catalogue(json).unwrap(), None, &Default::default()).unwrap();
    let recs = rec
        .similar_items("a", &Query::new(2, Model::Content).check().unwrap())
        .unwrap();
    assert_eq!(recs[0].id, "c");
    assert!(recs[0].score > 0.0);
    assert_eq!(recs[1].id, "b");
    assert_eq!(recs[1].score, 0.0, "zebra was past the limit");
}

#[test]
fn a_catalogue_of_300_000_tiny_items_loads() {
    let mut json = String::from("[");
    for i in 0..300_000u32 {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!(
            r#"{{"id":{i},"title":"item {}","price":{}}}"#,
            i % 1000,
            i % 97
        ));
    }
    json.push(']');
    let c = catalogue(&json).unwrap();
    assert_eq!(c.len(), 300_000);
    assert_eq!(c.index_of("299999"), Some(299_999));
    let rec = Recommender::fit(c, None, &Default::default()).unwrap();
    let recs = rec
        .similar_items("12345", &Query::new(5, Model::Content).check().unwrap())
        .unwrap();
    assert_eq!(recs.len(), 5);
    // Same title ("item 345"): every answer is another item ending in 345.
    assert!(
        recs.iter()
            .all(|r| r.id.ends_with("345") && r.id != "12345"),
        "{recs:?}"
    );
    assert_eq!(
        rec.recommend(&[], &Query::new(3, Model::Hybrid).check().unwrap())
            .unwrap()
            .len(),
        3
    );
}

// ---------------------------------------------------------------------------
// Interactions
// ---------------------------------------------------------------------------

#[test]
fn empty_interaction_files_are_refused() {
    for text in ["", "\n", "\n\n\n", ",,\n"] {
        let e = csv(text).unwrap_err();
        assert_error(&e, "empty_input", &["interactions: the CSV is empty; it needs a header row such as user,item,weight,timestamp"]);
    }
}

#[test]
fn header_only_interactions_fit_without_item_knn() {
    let log = csv("user,item,weight,timestamp\n").unwrap();
    assert!(log.is_empty());
    assert!(log.warnings().is_empty());
    let rec = Recommender::fit(abc(), Some(&log), &Default::default()).unwrap();
    assert!(rec
        .model::<pocketrec::models::item_knn::ItemKnn>()
        .is_none());
    assert_eq!(rec.popularity().scores(), &[0.0, 0.0, 0.0]);
    // Popular falls back to the catalogue order, all scores 0.
    for model in MODELS {
        let recs = rec
            .recommend(&[], &Query::new(3, model).check().unwrap())
            .unwrap();
        assert_eq!(
            recs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"],
            "{model:?}"
        );
        assert!(recs.iter().all(|r| r.score == 0.0));
    }
    // Item-kNN has nothing to say: popularity order fills the list.
    let recs = rec
        .recommend(
            &[Event::item("a")],
            &Query::new(2, Model::ItemKnn).check().unwrap(),
        )
        .unwrap();
    assert_eq!(
        recs.iter()
            .map(|r| (r.id.as_str(), r.score))
            .collect::<Vec<_>>(),
        [("b", 0.0), ("c", 0.0)]
    );
    // Content still works: the other mug first.
    for model in [Model::Content, Model::Hybrid] {
        let recs = rec
            .similar_items("a", &Query::new(2, model).check().unwrap())
            .unwrap();
        assert_eq!(recs[0].id, "b", "{model:?}");
        assert!(recs[0].score > 0.0);
    }
}

#[test]
fn missing_columns_list_the_accepted_names() {
    let e = csv("who,what\nu,a\n").unwrap_err();
    assert_error(
        &e,
        "invalid_csv",
        &[
            "interactions line 1: no user column in the header [\"who\", \"what\"]; accepted names",
            "\"customer\"",
        ],
    );
    let e = csv("user,thing\nu,a\n").unwrap_err();
    assert_error(
        &e,
        "invalid_csv",
        &["line 1: no item column", "\"product\""],
    );
}

#[test]
fn non_utf8_interactions_give_the_line() {
    let e = csv(b"user,item\nu,a\nu,\xff\xfe\n".as_slice()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "interactions line 3: invalid UTF-8 in field 2; the file must be UTF-8 text"
    );
    assert_eq!(e.code(), "invalid_csv");
    let e = csv(b"us\xe9r,item\nu,a\n".as_slice()).unwrap_err();
    assert_error(
        &e,
        "invalid_csv",
        &["interactions line 1: invalid UTF-8 in field 1"],
    );
}

#[test]
fn non_finite_csv_weights_are_errors_with_the_line() {
    for bad in ["NaN", "nan", "inf", "-inf", "infinity", "heavy"] {
        let e = csv(format!("user,item,weight\nu,a,1\nu,b,2\nv,c,{bad}\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("interactions line 4: weight {bad:?} is not a finite number")
        );
        assert_eq!(e.code(), "invalid_csv");
    }
    // 1e40 is finite as written (only f32 would make it infinite): it is
    // refused as too large, with the value as written.
    let e = csv("user,item,weight\nu,a,1\nu,b,2\nv,c,1e40\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "interactions line 4: weight 1e40 (after its event multiplier) must be a finite number ≤ 1e9"
    );
    // Line numbers count physical lines, so a quoted field with a line break
    // pushes later records down.
    let e = csv("user,item,weight\n\"u\nv\",a,1\nu,b,NaN\n").unwrap_err();
    assert_error(&e, "invalid_csv", &["interactions line 4: weight \"NaN\""]);
}

#[test]
fn other_malformed_csv_values() {
    let e = csv("user,item,event\nu,a,view\nu,b,stare\n").unwrap_err();
    assert_error(
        &e,
        "invalid_csv",
        &[
            "interactions line 3",
            "unknown event type \"stare\"",
            "accepted: [\"cart\", \"click\", \"order\", \"purchase\", \"view\", \"wishlist\"]",
        ],
    );
    let e = csv("user,item,timestamp\nu,a,yesterday\n").unwrap_err();
    assert_error(
        &e,
        "invalid_csv",
        &["interactions line 2: timestamp \"yesterday\"", "ISO 8601"],
    );
    let e = csv("user,item,timestamp\nu,a,2020-13-01\n").unwrap_err();
    assert_error(&e, "invalid_csv", &["line 2", "\"2020-13-01\""]);
}

#[test]
fn unknown_ids_and_unusable_rows_are_skipped_and_counted() {
    let text = "user,item,weight\nu1,a,1\nu1,ghost,1\nu2,phantom,2\nu2,ghost,1\nu2,b,1\n,c,1\nu3,,1\nu3,c,-2\nu3,c,0\nu3,c,1\n";
    let log = csv(text).unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log.user_count(), 3);
    let w = log.warnings();
    assert_eq!(
        w,
        [
            r#"3 interactions name items not in the catalogue and were skipped (e.g. ["ghost", "phantom", "ghost"])"#.to_string(),
            "2 interactions without a user or item were skipped".to_string(),
            "2 interactions with weight ≤ 0 were skipped".to_string(),
        ]
    );
    // Not fatal: the rest fits and answers.
    let rec = Recommender::fit(abc(), Some(&log), &Default::default()).unwrap();
    assert!(rec
        .model::<pocketrec::models::item_knn::ItemKnn>()
        .is_some());
    assert_eq!(rec.popularity().scores(), &[1.0, 1.0, 1.0]);
    // Only unknown items: a log with no rows, and a warning.
    let log = csv("user,item\nu,ghost\n").unwrap();
    assert!(log.is_empty());
    assert_eq!(log.warnings().len(), 1);
}

#[test]
fn json_interactions_report_paths() {
    let c = abc();
    let cfg = InteractionConfig::default();
    let e = Interactions::from_json(r#"[{"user": "u", "item": "a", "weight": 1e39}]"#, &c, &cfg)
        .unwrap_err();
    // Reported as written (1e39 is a finite number), with the accepted range.
    assert_error(
        &e,
        "invalid_value",
        &[
            "$[0].weight: weight 1e39 is outside the accepted range",
            "1e9",
        ],
    );
    let e = Interactions::from_json(r#"{"interactions": [{"user": "u", "item": "a"}, {"user": "u", "item": "b", "weight": "2"}]}"#, &c, &cfg).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"$.interactions[1].weight: expected a finite number, got string "2""#
    );
    let e = Interactions::from_json(r#"[{"user": [1], "item": "a"}]"#, &c, &cfg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0].user: expected a string or an integer, got an array of 1 elements"
    );
    let e = Interactions::from_json(r#"[{"user": "u", "item": "a", "timestamp": {}}]"#, &c, &cfg)
        .unwrap_err();
    assert_error(
        &e,
        "invalid_value",
        &["$[0].timestamp: expected seconds or an ISO 8601 date, got an object"],
    );
    let e = Interactions::from_json(
        r#"[{"user": "u", "item": "a", "event": "stare"}]"#,
        &c,
        &cfg,
    )
    .unwrap_err();
    assert_error(
        &e,
        "invalid_value",
        &["$[0].event: unknown event type \"stare\""],
    );
    let e = Interactions::from_json(r#"[1]"#, &c, &cfg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "$[0]: expected an interaction object, got number 1"
    );
    let e = Interactions::from_json(r#"{"rows": []}"#, &c, &cfg).unwrap_err();
    assert_error(
        &e,
        "invalid_value",
        &["$: expected an array of interactions"],
    );
    let e = Interactions::from_json("[{\"user\": \"u\",\n \"item\": }]", &c, &cfg).unwrap_err();
    assert!(matches!(e, Error::Json { line: 2, .. }), "{e:?}");
    // Unknown items are skipped and counted here too.
    let log = Interactions::from_json(
        r#"[{"user": "u", "item": "a"}, {"user": "u", "item": "zz"}]"#,
        &c,
        &cfg,
    )
    .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log.warnings().len(), 1);
}

#[test]
fn non_finite_history_weights_are_errors_with_the_index() {
    let rec = Recommender::fit(abc(), None, &Default::default()).unwrap();
    for (bad, shown) in [
        (f32::NAN, "NaN"),
        (f32::INFINITY, "inf"),
        (f32::NEG_INFINITY, "-inf"),
    ] {
        let history = [
            Event::item("a"),
            Event {
                weight: Some(bad),
                ..Event::item("b")
            },
        ];
        for model in MODELS {
            let e = rec
                .recommend(&history, &Query::new(2, model).check().unwrap())
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("history[1].weight: expected a finite number, got {shown}")
            );
            assert_eq!(e.code(), "invalid_value");
        }
    }
    // Even for an item the catalogue no longer has.
    let history = [Event {
        weight: Some(f32::NAN),
        ..Event::item("gone")
    }];
    assert_eq!(
        rec.recommend(&history, &Query::default().check().unwrap())
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    // Unknown event types name the accepted ones.
    let history = [Event {
        event: Some("stare".into()),
        ..Event::item("a")
    }];
    let e = rec
        .recommend(&history, &Query::default().check().unwrap())
        .unwrap_err();
    assert_error(
        &e,
        "invalid_value",
        &["history[0].event: unknown event type \"stare\"; accepted: [\"cart\""],
    );
    // Zero and negative weights are ignored, not errors: the item is not excluded.
    let history = [
        Event {
            weight: Some(-1.0),
            ..Event::item("a")
        },
        Event {
            weight: Some(0.0),
            ..Event::item("b")
        },
    ];
    assert_eq!(
        rec.recommend(&history, &Query::new(5, Model::Hybrid).check().unwrap())
            .unwrap()
            .len(),
        3
    );
}

// ---------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------

#[test]
fn config_unknown_keys_list_the_accepted_ones() {
    let e = Config::from_json(r#"{"colour": 1}"#).unwrap_err();
    assert_error(&e, "invalid_json", &["config: invalid JSON at line 1, column 9", "unknown field `colour`", "expected one of `catalogue`, `content`, `interactions`, `itemKnn`, `popularity`, `sequential`, `userKnn`, `ease`, `als`, `hybrid`, `history`"]);
    let e = Config::from_json("{\n  \"itemKnn\": {\"neighbors\": 5}\n}").unwrap_err();
    assert_error(
        &e,
        "invalid_json",
        &["line 2", "unknown field `neighbors`", "`neighbours`"],
    );
    let e = Config::from_json(r#"{"hybrid": {"weights": {"knn": 1}}}"#).unwrap_err();
    assert_error(&e, "invalid_json", &["unknown field `knn`", "`itemKnn`"]);
    let e =
        Config::from_json(r#"{"catalogue": {"fields": {"title": {"role": "text", "boost": 2}}}}"#)
            .unwrap_err();
    assert_error(
        &e,
        "invalid_json",
        &["unknown field `boost`", "expected `role` or `weight`"],
    );
    let e = Config::from_json(r#"{"itemKnn": {"similarity": "dice"}}"#).unwrap_err();
    assert_error(
        &e,
        "invalid_json",
        &[
            "unknown variant `dice`",
            "`cosine`, `tfidf`, `bm25`, `jaccard`, `pearson`",
        ],
    );
    let e = Config::from_json(r#"{"itemKnn": {"neighbours": "ten"}}"#).unwrap_err();
    assert_error(&e, "invalid_json", &["invalid type: string \"ten\""]);
    let e = Config::from_json("[1, 2]").unwrap_err();
    assert_error(&e, "invalid_json", &["config: invalid JSON"]);
    let e = Config::from_json(b"{\"content\": \"\xff\"}".as_slice()).unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    assert_eq!(*Config::from_json("{}").unwrap(), Config::default());
}

#[test]
fn config_naming_a_field_no_item_has() {
    let config =
        Config::from_json(r#"{"catalogue": {"fields": {"colour": {"role": "categorical"}}}}"#)
            .unwrap();
    let e = Catalogue::from_json(r#"[{"id": "a", "title": "x"}]"#, &config.catalogue).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"config catalogue.fields.colour: no item has a field "colour"; the catalogue's fields are ["id", "title"]"#
    );
    assert_eq!(e.code(), "invalid_config");
    let mut cc = CatalogueConfig {
        category_field: Some("department".into()),
        ..Default::default()
    };
    let e = Catalogue::from_json(r#"[{"id": "a", "title": "x"}]"#, &cc).unwrap_err();
    assert_error(
        &e,
        "invalid_config",
        &["config categoryField", "\"department\""],
    );
    cc.category_field = Some("title".into());
    let e = Catalogue::from_json(r#"[{"id": "a", "title": "x"}]"#, &cc).unwrap_err();
    assert_error(
        &e,
        "invalid_config",
        &["config categoryField: field \"title\" must have the role Categorical"],
    );
}

#[test]
fn negative_and_non_finite_weights_are_refused() {
    let e = Config::from_json(r#"{"hybrid": {"weights": {"content": -1}}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config hybrid.weights.content: must be a finite number ≥ 0, got -1"
    );
    assert_eq!(e.code(), "invalid_config");
    let e = Config::from_json(r#"{"interactions": {"eventWeights": {"view": -1}}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config interactions.eventWeights.view: must be a finite number > 0, got -1"
    );
    let e = Config::from_json(r#"{"interactions": {"eventWeights": {"view": 0}}}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_config");
    let e = Config::from_json(r#"{"itemKnn": {"shrinkage": -0.5}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config itemKnn.shrinkage: must be a finite number ≥ 0, got -0.5"
    );
    let e = Config::from_json(r#"{"popularity": {"halfLifeDays": -3}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config popularity.halfLifeDays: must be a number of days > 0, got -3"
    );
    let e = Config::from_json(r#"{"content": {"numericBuckets": 1}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config content.numericBuckets: must be between 2 and 100, got 1"
    );
    // A catalogue field's weight is checked with the config, and again when
    // a catalogue is read with a config built in code.
    let e =
        Config::from_json(r#"{"catalogue": {"fields": {"title": {"weight": -1}}}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config catalogue.fields.title.weight: must be a finite number ≥ 0, got -1"
    );
    let mut cc = CatalogueConfig::default();
    cc.fields.insert(
        "title".into(),
        FieldConfig {
            role: None,
            weight: Some(-1.0),
        },
    );
    let e = Catalogue::from_json(r#"[{"id": "a", "title": "x"}]"#, &cc).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config catalogue.fields.title.weight: must be a finite number ≥ 0, got -1"
    );
    cc.fields.insert(
        "title".into(),
        FieldConfig {
            role: None,
            weight: Some(f32::NAN),
        },
    );
    assert_eq!(
        Catalogue::from_json(r#"[{"id": "a", "title": "x"}]"#, &cc)
            .unwrap_err()
            .code(),
        "invalid_config"
    );
    // A config built in code is checked once, before anything is fitted.
    let mut config = Config::default();
    config.hybrid.weights.popular = f32::INFINITY;
    let e = config.check().unwrap_err();
    assert_eq!(
        e.to_string(),
        "config hybrid.weights.popular: must be a finite number ≥ 0, got inf"
    );
    let config = InteractionConfig {
        event_weights: [("view".to_string(), f32::NAN)].into_iter().collect(),
        ..Default::default()
    };
    assert_eq!(
        Interactions::from_csv("user,item\nu,a\n", &abc(), &config)
            .unwrap_err()
            .code(),
        "invalid_config"
    );
}

// ---------------------------------------------------------------------------
// Extreme values: each is an error that says what is accepted, or a sane answer.
// ---------------------------------------------------------------------------

#[test]
fn csv_weight_times_event_weight_overflow_is_an_error() {
    // 3e38 is a finite f32; × purchase (5) is not.
    let e = csv("user,item,weight,event\nu,a,3e38,purchase\n").unwrap_err();
    assert_error(&e, "invalid_csv", &["line 2", "after its event multiplier"]);
    let e = Interactions::from_json(
        r#"[{"user": "u", "item": "a", "weight": 3e38, "event": "purchase"}]"#,
        &abc(),
        &InteractionConfig::default(),
    )
    .unwrap_err();
    assert_error(&e, "invalid_value", &["$[0]"]);
}

#[test]
fn weights_above_the_limit_are_refused_and_sums_below_it_stay_finite() {
    // One row above 1e9 is refused with its line...
    let e = csv("user,item,weight\nu,a,3e38\n").unwrap_err();
    assert_error(&e, "invalid_csv", &["line 2", "≤ 1e9"]);
    // ...and many rows at the limit sum without overflow.
    // u and v both have a and b; u's two rows for a sum to 2e9.
    let log = csv("user,item,weight\nu,a,1e9\nu,a,1e9\nu,b,1\nv,a,1\nv,b,1\n").unwrap();
    // Cosine: BM25's IDF is 0 for every user of a three-item catalogue.
    let config = Config::from_json(
        r#"{"itemKnn": {"similarity": "cosine"}, "interactions": {"transform": "raw"}}"#,
    )
    .unwrap();
    let rec = Recommender::fit(abc(), Some(&log), &config).unwrap();
    let recs = rec
        .recommend(
            &[Event::item("a")],
            &Query::new(2, Model::ItemKnn).check().unwrap(),
        )
        .unwrap();
    // b shares two users with a, c none: b must score above 0.
    assert_eq!(recs[0].id, "b");
    assert!(recs[0].score > 0.0, "{recs:?}");
}

#[test]
fn huge_history_weight_ranks_like_any_single_item_history() {
    // For a one-item history the weight only scales every score, so the
    // ranking must not depend on it.
    let log = csv("user,item\nu,a\nu,b\nv,c\n").unwrap();
    let rec = Recommender::fit(abc(), Some(&log), &Default::default()).unwrap();
    let plain = rec
        .recommend(
            &[Event::item("a")],
            &Query::new(2, Model::Hybrid).check().unwrap(),
        )
        .unwrap();
    let huge = rec
        .recommend(
            &[Event {
                weight: Some(3e38),
                event: Some("purchase".into()),
                ..Event::item("a")
            }],
            &Query::new(2, Model::Hybrid).check().unwrap(),
        )
        .unwrap();
    let ids = |r: &[pocketrec::recommend::Recommendation]| {
        r.iter().map(|x| x.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&huge), ids(&plain));
    assert!(huge[0].score > 0.1, "{huge:?}");
    for reason in huge.iter().flat_map(|r| &r.reasons) {
        if let pocketrec::recommend::Reason::SharedFeature { weight, .. } = reason {
            assert!(weight.is_finite(), "{reason:?}");
        }
    }
}

#[test]
fn far_future_dates_are_errors() {
    let e = csv("user,item,timestamp\nu,a,999999999999999-01-01\n").unwrap_err();
    assert_error(&e, "invalid_csv", &["line 2", "timestamp"]);
}

#[test]
fn popularity_half_life_survives_extreme_timestamps() {
    // Out of range (years 1–9999) is an error...
    assert_error(
        &csv("user,item,timestamp\nu,a,1e300\n").unwrap_err(),
        "invalid_csv",
        &["line 2", "timestamp"],
    );
    // ...and the extremes of the range decay without overflow.
    let log = csv("user,item,timestamp\nu,a,9999-12-31\nv,b,0001-01-01\n").unwrap();
    let config = Config::from_json(r#"{"popularity": {"halfLifeDays": 1}}"#).unwrap();
    let rec = Recommender::fit(abc(), Some(&log), &config).unwrap();
    assert!(rec.popularity().scores().iter().all(|s| s.is_finite()));
}

#[test]
fn history_decay_survives_extreme_now() {
    let rec = Recommender::fit(abc(), None, &Default::default()).unwrap();
    let q = Query {
        half_life_days: Some(1.0),
        now: Some(i64::MAX),
        ..Query::new(2, Model::Content)
    };
    let recs = rec
        .recommend(
            &[Event {
                timestamp: Some(-5),
                ..Event::item("a")
            }],
            &q.check().unwrap(),
        )
        .unwrap();
    assert_eq!(recs.len(), 2);
}

#[test]
fn fit_refuses_interactions_of_another_catalogue() {
    let small = catalogue(r#"[{"id": "a"}]"#).unwrap();
    let log =
        Interactions::from_csv("user,item\nu,a\n", &small, &InteractionConfig::default()).unwrap();
    // The log indexes 1 item; the catalogue has 3. Either fit refuses it...
    match Recommender::fit(abc(), Some(&log), &Default::default()) {
        Err(e) => assert_eq!(e.code(), "invalid_value"),
        // ...or queries must still work.
        Ok(rec) => assert_eq!(
            rec.recommend(&[], &Query::new(3, Model::Hybrid).check().unwrap())
                .unwrap()
                .len(),
            3
        ),
    }
}

// ---------------------------------------------------------------------------
// One rule for ids
// ---------------------------------------------------------------------------

#[test]
fn ids_with_spaces_match_everywhere() {
    // The catalogue keeps " a " as "a", so the CSV's "a" (trimmed by the
    // reader) and a history's " a" are the same item.
    let c = catalogue(r#"[{"id": " a ", "title": "mug"}, {"id": "b", "title": "pot"}]"#).unwrap();
    assert_eq!(c.ids(), ["a", "b"]);
    assert!(
        c.notes()[0].contains("spaces around them"),
        "{:?}",
        c.notes()
    );
    let log =
        Interactions::from_csv("user,item\nu1,a\n", &c, &InteractionConfig::default()).unwrap();
    assert_eq!((log.len(), log.warnings().len()), (1, 0));
    let rec = Recommender::fit(c, Some(&log), &Default::default()).unwrap();
    let recs = rec
        .recommend(
            &[Event::item(" a")],
            &Query::new(5, Model::Popular).check().unwrap(),
        )
        .unwrap();
    assert!(recs.iter().all(|r| r.id != "a"), "{recs:?}");
}

// ---------------------------------------------------------------------------
// The command-line tool on bad files
// ---------------------------------------------------------------------------

#[cfg(feature = "cli")]
mod cli {
    use std::path::Path;
    use std::process::{Command, Output};

    use super::*;

    fn run(args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pocketrec"))
            .args(args)
            .output()
            .expect("the binary runs")
    }

    fn p(path: &Path) -> &str {
        path.to_str().expect("temp paths are UTF-8")
    }

    #[track_caller]
    fn fails_with(out: &Output, parts: &[&str]) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "succeeded; stderr {stderr}");
        for part in parts {
            assert!(stderr.contains(part), "{stderr:?} lacks {part:?}");
        }
    }

    /// A folder with the catalogue `[a "mug", b "pot"]` and `log` as t.csv.
    fn files(log: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let cat = dir.path().join("c.json");
        std::fs::write(
            &cat,
            r#"[{"id":"a","title":"mug"},{"id":"b","title":"pot"}]"#,
        )
        .unwrap();
        let log_path = dir.path().join("t.csv");
        std::fs::write(&log_path, log).unwrap();
        (dir, cat, log_path)
    }

    fn split(dir: &Path, cat: &Path, log: &Path, extra: &[&str]) -> Output {
        let out = dir.join("o");
        let mut args = vec![
            "split",
            "--catalog",
            p(cat),
            "--interactions",
            p(log),
            "--test-fraction",
            "0.5",
            "--out-dir",
            p(&out),
        ];
        args.extend_from_slice(extra);
        run(&args)
    }

    #[test]
    fn overflowing_and_negative_times_are_errors_with_the_line() {
        for time in ["2020-01-01 -8326655311048978160:00", "2020-01-01 -5:-30"] {
            let (dir, cat, log) = files(&format!(
                "user,item,timestamp\nu1,a,{time}\nu1,b,2020-01-01 10:00\n"
            ));
            let out = split(dir.path(), &cat, &log, &[]);
            fails_with(&out, &["interactions line 2: timestamp", time]);
        }
    }

    #[test]
    fn an_unterminated_quote_is_an_error_with_its_line() {
        let (dir, cat, log) = files("user,item\nu1,a\n\"u2,b\nu3,a\n");
        let out = split(dir.path(), &cat, &log, &[]);
        fails_with(
            &out,
            &["interactions line 3: a quoted field opened on this line is never closed"],
        );
    }

    #[test]
    fn split_files_read_back_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let cat = dir.path().join("c.json");
        std::fs::write(
            &cat,
            r#"[{"id":"a,1","title":"mug"},{"id":"b \"2\"","title":"pot"},{"id":"c","title":"cup"},{"id":"d","title":"jug"}]"#,
        )
        .unwrap();
        let log_path = dir.path().join("t.csv");
        std::fs::write(
            &log_path,
            "user,item,weight,timestamp\n\"x,y\",\"a,1\",2.5,10\n\"x,y\",\"b \"\"2\"\"\",1,20\n\"x,y\",c,3,30\n\"x,y\",d,1,\n\"q\"\"u\",c,0.1,5\n\"q\"\"u\",d,7,6\n\"q\"\"u\",\"a,1\",1,7\n",
        )
        .unwrap();
        let out = split(dir.path(), &cat, &log_path, &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let c = Catalogue::from_json(std::fs::read(&cat).unwrap(), &CatalogueConfig::default())
            .unwrap();
        let cfg = InteractionConfig::default();
        let rows = |log: &Interactions| -> Vec<(String, String, f32, Option<i64>)> {
            (0..log.len())
                .map(|r| {
                    let (u, i, w, t) = log.row(r);
                    (log.user_id(u).to_string(), c.id(i).to_string(), w, t)
                })
                .collect()
        };
        let original = Interactions::from_csv(std::fs::read(&log_path).unwrap(), &c, &cfg).unwrap();
        let mut back = Vec::new();
        for name in ["train.csv", "test.csv"] {
            let text = std::fs::read(dir.path().join("o").join(name)).unwrap();
            back.extend(rows(&Interactions::from_csv(text, &c, &cfg).unwrap()));
        }
        let mut expected = rows(&original);
        let key = |r: &(String, String, f32, Option<i64>)| (r.0.clone(), r.1.clone());
        expected.sort_by_key(key);
        back.sort_by_key(key);
        assert_eq!(back, expected);
        let users = std::fs::read_to_string(dir.path().join("o").join("users.txt")).unwrap();
        assert!(
            users.lines().all(|u| u == "x,y" || u == "q\"u"),
            "{users:?}"
        );
    }

    #[test]
    fn user_ids_with_line_breaks_cannot_go_to_users_txt() {
        let (dir, cat, log) = files("user,item\n\"u\n2\",a\n\"u\n2\",b\n");
        let out = split(dir.path(), &cat, &log, &[]);
        fails_with(
            &out,
            &["user id \"u\\n2\"", "holds a line break", "users.txt"],
        );
        assert!(!dir.path().join("o").join("users.txt").exists());
    }

    #[test]
    fn temporal_split_needs_timestamps() {
        let (dir, cat, log) = files("user,item\nu1,a\nu1,b\n");
        let out = split(dir.path(), &cat, &log, &["--split", "temporal"]);
        fails_with(
            &out,
            &[
                "--split temporal needs timestamps;",
                "has none; use --split random",
            ],
        );
        let (dir, cat, log) = files("user,item,timestamp\nu1,a,5\nu1,b,\n");
        let out = split(dir.path(), &cat, &log, &["--split", "temporal"]);
        fails_with(&out, &["has 1 of 2 rows without one"]);
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.json");
        // Sparse: takes no disk space, and must not be read into memory.
        std::fs::File::create(&big)
            .unwrap()
            .set_len(limits::MAX_CATALOGUE_BYTES as u64 + 1)
            .unwrap();
        let out = run(&["search", "--catalog", p(&big), "--query", "mug"]);
        fails_with(
            &out,
            &[
                p(&big),
                &format!(
                    "is {} bytes, more than the limit of {} bytes (256 MiB)",
                    limits::MAX_CATALOGUE_BYTES + 1,
                    limits::MAX_CATALOGUE_BYTES
                ),
            ],
        );
        // Interactions may be larger (512 MiB): their rows take less memory.
        std::fs::File::create(&big)
            .unwrap()
            .set_len(limits::MAX_INPUT_BYTES as u64 + 1)
            .unwrap();
        let cat = dir.path().join("c.json");
        std::fs::write(&cat, r#"[{"id": "a"}]"#).unwrap();
        let out = run(&[
            "split",
            "--catalog",
            p(&cat),
            "--interactions",
            p(&big),
            "--out-dir",
            p(dir.path()),
        ]);
        fails_with(
            &out,
            &[p(&big), "more than the limit of 536870912 bytes (512 MiB)"],
        );
    }

    #[test]
    fn byte_order_marks_are_accepted_in_catalogue_and_config() {
        let dir = tempfile::tempdir().unwrap();
        let cat = dir.path().join("c.json");
        std::fs::write(
            &cat,
            b"\xEF\xBB\xBF[{\"id\":\"a\",\"title\":\"mug\"},{\"id\":\"b\",\"title\":\"pot\"}]",
        )
        .unwrap();
        let config = dir.path().join("config.json");
        std::fs::write(&config, b"\xEF\xBB\xBF{}").unwrap();
        let out = run(&[
            "search",
            "--catalog",
            p(&cat),
            "--config",
            p(&config),
            "--query",
            "mug",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("\"a\""));
    }

    #[test]
    fn spaced_catalogue_ids_are_noted_on_stderr() {
        let dir = tempfile::tempdir().unwrap();
        let cat = dir.path().join("c.json");
        std::fs::write(
            &cat,
            r#"[{"id":" a ","title":"mug"},{"id":"b","title":"pot"}]"#,
        )
        .unwrap();
        let out = run(&["search", "--catalog", p(&cat), "--query", "mug"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("note: catalogue") && stderr.contains("spaces around them"),
            "{stderr}"
        );
    }

    /// A stream has no size to check first: it is read up to one byte past
    /// the limit, then refused (here an endless one, /dev/zero, as the
    /// catalogue, whose limit is the smaller).
    #[cfg(unix)]
    #[test]
    fn a_stream_over_the_limit_is_refused_after_the_limit() {
        let out = run(&["search", "--catalog", "/dev/zero", "--query", "mug"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.contains("more than the limit of") && stderr.contains("/dev/zero"),
            "{stderr}"
        );
    }
}
