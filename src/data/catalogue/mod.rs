//! The product catalogue: JSON in, validated columns and dense item indices out.
//!
//! Accepted input: `{"items": [...]}` or a bare array of item objects. Each
//! item needs an `id` (a non-empty string or an integer; integers become
//! their decimal text, so `7` and `"7"` are the same id). Every other field
//! gets a [`Role`]:
//!
//! | names recognised by default | role | default weight |
//! |---|---|---|
//! | `title`, `name` | text | 1.0 |
//! | `description`, `summary` | text | 0.5 |
//! | `category`, `categories`, `genre`, `genres` | categorical | 1.0 |
//! | `tags` | categorical | 0.8 |
//! | `brand` | categorical | 0.6 |
//! | `price` | numeric | 0.3 |
//! | `rating` | numeric | 0.1 |
//! | `inStock`, `in_stock`, `available` | availability flag | – |
//! | `image`, `images`, `thumbnail`, `url`, `link`, `sku`, `currency` | ignored (display only) | – |
//!
//! Any other field gets a role inferred from its values: numbers → numeric
//! (weight 0.1); strings averaging over 40 characters → text (0.4); arrays of
//! strings, or short strings that repeat (at most about half as many distinct
//! values as items that have the field) → categorical (0.5); anything else
//! (unique codes, URLs, objects, mixed types) is ignored and noted in
//! [`Catalogue::notes`]. A [`CatalogueConfig`] overrides roles and weights.
//!
//! **Ids** are trimmed of surrounding white space (a note in
//! [`Catalogue::notes`] counts the ids that had some), so two ids equal
//! after trimming are a duplicate. The same rule holds for the ids of
//! interactions and histories, and for every lookup ([`Catalogue::index_of`]).
//!
//! Every error names the JSON path of the bad value, what arrived and what
//! is accepted. Every string of the catalogue, in any field, is held to
//! [`limits::MAX_STRING_BYTES`] while it is parsed.
//!
//! Reading goes in two passes: `raw` parses the items into a compact form
//! (no `serde_json::Value` tree, which costs many times its text), then
//! `fields` types them into columns, moving their strings; `display`
//! keeps what a card shows ([`Catalogue::display`]).

mod display;
mod fields;
mod raw;
mod stored;

pub use display::ItemView;
pub use stored::{StoredFields, StoredItem};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::data::strip_bom;
use crate::error::{Error, Result};
use crate::limits;

use display::{read_display, Labels, Shown};
use fields::{check_items, read_availability, read_ids};
use raw::RawItems;

/// What a catalogue field contributes to the content model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Free text, tokenised and weighted by BM25 or TF-IDF.
    Text,
    /// One value or a list of values (category, brand, tags), one-hot with IDF.
    Categorical,
    /// A number, bucketed by catalogue quantiles.
    Numeric,
    /// Not used for similarity.
    Ignore,
}

/// Per-field override in the config (`"fields": {"colour": {"role": "categorical", "weight": 0.4}}`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldConfig {
    /// Role to use instead of the default or inferred one.
    pub role: Option<Role>,
    /// Weight of the field's block in the item vector; must be ≥ 0. A
    /// weight of 0 leaves the field out.
    pub weight: Option<f32>,
}

/// How to read a catalogue.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogueConfig {
    /// Overrides by field name. Naming a field no item has is an error.
    pub fields: FxHashMap<String, FieldConfig>,
    /// Field whose values the category filter matches. Default: the first of
    /// `category`, `categories`, `genres`, `genre` present.
    pub category_field: Option<String>,
    /// Numeric field the price filter uses. Default: `price`.
    pub price_field: Option<String>,
}

/// Values of one field, one entry per item (in item order).
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValues {
    /// Text per item; `None` where the item lacks the field.
    Text(Vec<Option<String>>),
    /// Values per item; empty where the item lacks the field.
    Categorical(Vec<Vec<String>>),
    /// Number per item; `None` where the item lacks the field.
    Numeric(Vec<Option<f64>>),
}

/// A field used by the content model.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Field name as in the JSON.
    pub name: String,
    /// Weight of this field's block in item vectors.
    pub weight: f32,
    /// The values, by item index.
    pub values: FieldValues,
}

impl Field {
    /// The role of this field.
    pub fn role(&self) -> Role {
        match self.values {
            FieldValues::Text(_) => Role::Text,
            FieldValues::Categorical(_) => Role::Categorical,
            FieldValues::Numeric(_) => Role::Numeric,
        }
    }
}

/// A validated catalogue: item ids mapped to dense indices `0..len`, and
/// the fields the models use, stored by column.
#[derive(Debug, Clone)]
pub struct Catalogue {
    ids: Vec<String>,
    index: FxHashMap<String, u32>,
    fields: Vec<Field>,
    available: Vec<bool>,
    /// Display title per item (see [`ItemView`]).
    titles: Vec<Option<Box<str>>>,
    shown: Vec<Shown>,
    labels: Labels,
    category_field: Option<usize>,
    price_field: Option<usize>,
    notes: Vec<String>,
}

impl Catalogue {
    /// Parses catalogue JSON text (or bytes; invalid UTF-8 is reported with
    /// its position). A leading UTF-8 byte-order mark is skipped.
    ///
    /// # Errors
    /// [`Error::Json`] for text that is not JSON, [`Error::LimitExceeded`]
    /// past [`limits`] (the input size, any string, the item count), and the
    /// errors of [`Catalogue::from_value`].
    pub fn from_json(text: impl AsRef<[u8]>, config: &CatalogueConfig) -> Result<Catalogue> {
        let bytes = strip_bom(text.as_ref());
        if bytes.len() > limits::MAX_CATALOGUE_BYTES {
            return Err(Error::LimitExceeded(format!(
                "catalogue: {} bytes is more than the limit of {} bytes",
                bytes.len(),
                limits::MAX_CATALOGUE_BYTES
            )));
        }
        Catalogue::from_raw(RawItems::from_json(bytes)?, config)
    }

    /// Builds a catalogue from parsed JSON.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] (with the JSON path) for a wrong root, an item
    /// that is not an object, a missing/empty/ill-typed id, or a value whose
    /// type does not fit its field's role; [`Error::DuplicateId`] (ids are
    /// compared trimmed); [`Error::Empty`] for no items;
    /// [`Error::LimitExceeded`] for a string or an item count past
    /// [`limits`]; [`Error::InvalidConfig`] for a config naming a field no
    /// item has, or a negative weight.
    pub fn from_value(value: Value, config: &CatalogueConfig) -> Result<Catalogue> {
        Catalogue::from_raw(RawItems::from_value(value)?, config)
    }

    fn from_raw(mut raw: RawItems, config: &CatalogueConfig) -> Result<Catalogue> {
        if raw.items.is_empty() {
            return Err(Error::Empty(format!(
                "catalogue: {} holds no items; at least one is needed",
                raw.prefix
            )));
        }
        check_items(&raw)?;
        let mut notes = Vec::new();
        let (ids, index) = read_ids(&mut raw, &mut notes)?;
        let available = read_availability(&raw)?;
        let (shown, labels, titles) = read_display(&raw);
        let mut catalogue = Catalogue {
            available,
            titles,
            shown,
            labels,
            ids,
            index,
            fields: Vec::new(),
            category_field: None,
            price_field: None,
            notes,
        };
        catalogue.read_fields(&mut raw, config)?;
        Ok(catalogue)
    }
}

impl Catalogue {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when the catalogue has no items (never, once built).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The external id of the item at `index`.
    pub fn id(&self, index: u32) -> &str {
        &self.ids[index as usize]
    }

    /// All ids in item order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Dense index of an external id, trimmed first (ids are stored trimmed).
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.index.get(id.trim()).copied()
    }

    /// Dense index of an external id, or [`Error::UnknownItem`].
    pub fn require(&self, id: &str) -> Result<u32> {
        self.index_of(id)
            .ok_or_else(|| Error::UnknownItem(id.to_string()))
    }

    /// The fields the content model uses.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The item's title: the first non-empty `title` or `name` (a string,
    /// or a number as text), if it has one; the same as [`ItemView::title`].
    pub fn title(&self, index: u32) -> Option<&str> {
        self.titles[index as usize].as_deref()
    }

    /// What a card shows about the item (see [`ItemView`] for the rules).
    pub fn display(&self, index: u32) -> ItemView {
        let i = index as usize;
        self.shown[i].view(&self.ids[i], self.title(index), &self.labels)
    }

    /// False when the item's availability flag says it is out of stock;
    /// items without a flag count as available.
    pub fn is_available(&self, index: u32) -> bool {
        self.available[index as usize]
    }

    /// The item's values in the category field (empty if none).
    pub fn categories(&self, index: u32) -> &[String] {
        match self.category_field.map(|f| &self.fields[f].values) {
            Some(FieldValues::Categorical(v)) => &v[index as usize],
            _ => &[],
        }
    }

    /// True when the catalogue has a category field.
    pub fn has_categories(&self) -> bool {
        self.category_field.is_some()
    }

    /// The item's price, if the catalogue has a price field and the item a price.
    pub fn price(&self, index: u32) -> Option<f64> {
        match self.price_field.map(|f| &self.fields[f].values) {
            Some(FieldValues::Numeric(v)) => v[index as usize],
            _ => None,
        }
    }

    /// True when the catalogue has a price field.
    pub fn has_prices(&self) -> bool {
        self.price_field.is_some()
    }

    /// Remarks about fields that were inferred or ignored.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(json: &str) -> Result<Catalogue> {
        Catalogue::from_json(json, &CatalogueConfig::default())
    }

    #[test]
    fn reads_both_root_forms_and_integer_ids() {
        let a = cat(r#"{"items": [{"id": "a"}, {"id": 7}]}"#).unwrap();
        let b = cat(r#"[{"id": "a"}, {"id": 7}]"#).unwrap();
        assert_eq!(a.ids(), ["a", "7"]);
        assert_eq!(b.ids(), a.ids());
        assert_eq!(a.index_of("7"), Some(1));
    }

    #[test]
    fn known_fields_get_their_roles() {
        let c = cat(r#"[{"id": 1, "title": "Red mug", "category": "kitchen", "tags": ["mug", "red"], "price": "4.50", "currency": "EUR", "inStock": false, "image": "x.png"}]"#).unwrap();
        let roles: Vec<(&str, Role)> = c
            .fields()
            .iter()
            .map(|f| (f.name.as_str(), f.role()))
            .collect();
        // Fields come in name order (deterministic whatever the key order of each item).
        assert_eq!(
            roles,
            [
                ("category", Role::Categorical),
                ("price", Role::Numeric),
                ("tags", Role::Categorical),
                ("title", Role::Text)
            ]
        );
        assert_eq!(c.price(0), Some(4.5));
        assert!(!c.is_available(0));
        assert_eq!(c.categories(0), ["kitchen"]);
        assert_eq!(c.title(0), Some("Red mug"));
    }

    #[test]
    fn unknown_fields_get_inferred_roles() {
        let c = cat(r#"[
            {"id": 1, "colour": "red", "weight": 2, "blurb": "a very long piece of text about the product that goes on", "code": "X1"},
            {"id": 2, "colour": "red", "weight": 3, "blurb": "another very long piece of text about the product, going on", "code": "X2"},
            {"id": 3, "colour": "blue", "weight": 1, "blurb": "and one more very long piece of text about this product", "code": "X3"}
        ]"#).unwrap();
        let roles: Vec<(&str, Role)> = c
            .fields()
            .iter()
            .map(|f| (f.name.as_str(), f.role()))
            .collect();
        assert_eq!(
            roles,
            [
                ("blurb", Role::Text),
                ("colour", Role::Categorical),
                ("weight", Role::Numeric)
            ]
        );
        assert!(c.notes()[0].contains("\"code\""));
    }

    #[test]
    fn config_overrides_role_and_weight() {
        let mut config = CatalogueConfig::default();
        config.fields.insert(
            "code".into(),
            FieldConfig {
                role: Some(Role::Categorical),
                weight: Some(2.0),
            },
        );
        let c = Catalogue::from_json(
            r#"[{"id": 1, "code": "X1"}, {"id": 2, "code": "X2"}]"#,
            &config,
        )
        .unwrap();
        assert_eq!(c.fields()[0].role(), Role::Categorical);
        assert_eq!(c.fields()[0].weight, 2.0);
    }

    #[test]
    fn errors_name_the_path_what_arrived_and_what_is_accepted() {
        let e = cat(r#"{"items": [{"id": "a"}, {"id": "a"}]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"$.items[1].id: duplicate item id "a" (first seen at $.items[0].id); ids must be unique"#
        );
        let e = cat(r#"[{"id": "a"}, {"title": "x"}]"#).unwrap_err();
        assert!(e.to_string().starts_with("$[1].id: missing id"), "{e}");
        let e = cat(r#"[{"id": 1.5}]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$[0].id: expected a non-empty string or an integer, got number 1.5"
        );
        let e = cat(r#"[{"id": 1, "price": "cheap"}]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"$[0].price: expected a finite number, got string "cheap""#
        );
        let e = cat(r#"[{"id": 1, "tags": ["a", {"b": 1}]}]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$[0].tags[1]: expected a string or an array of strings, got an object"
        );
        let e = cat(r#"{"products": []}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains(r#"got an object with keys ["products"]"#),
            "{e}"
        );
        let e = cat(r#"[{"id": 1}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_json");
        assert_eq!(cat("[]").unwrap_err().code(), "empty_input");
    }

    #[test]
    fn config_naming_a_missing_field_is_an_error() {
        let mut config = CatalogueConfig::default();
        config
            .fields
            .insert("colour".into(), FieldConfig::default());
        let e = Catalogue::from_json(r#"[{"id": 1, "title": "x"}]"#, &config).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"config catalogue.fields.colour: no item has a field "colour"; the catalogue's fields are ["id", "title"]"#
        );
    }

    #[test]
    fn deep_nesting_and_huge_strings_are_refused() {
        let deep = format!(
            "[{{\"id\": 1, \"x\": {}{}}}]",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(cat(&deep).unwrap_err().code(), "invalid_json");
        let huge = format!(
            "[{{\"id\": 1, \"title\": \"{}\"}}]",
            "a".repeat(limits::MAX_STRING_BYTES + 1)
        );
        let e = cat(&huge).unwrap_err();
        assert_eq!(e.code(), "limit_exceeded");
        assert!(e.to_string().starts_with("$[0].title: string of"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_reported_with_position() {
        let e =
            Catalogue::from_json(b"[{\"id\": \"\xff\"}]", &CatalogueConfig::default()).unwrap_err();
        assert_eq!(e.code(), "invalid_json");
        assert!(e.to_string().contains("line 1"), "{e}");
    }

    #[test]
    fn ids_are_trimmed_noted_and_duplicates_after_trimming_refused() {
        let c = cat(r#"[{"id": " a "}, {"id": "b"}]"#).unwrap();
        assert_eq!(c.ids(), ["a", "b"]);
        assert_eq!(c.index_of(" a"), Some(0));
        assert!(
            c.notes()[0].starts_with(
                r#"1 item ids had spaces around them, which were removed (e.g. " a " at $[0].id)"#
            ),
            "{:?}",
            c.notes()
        );
        let e = cat(r#"[{"id": "a"}, {"id": " a"}]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"$[1].id: duplicate item id "a" (first seen at $[0].id); ids must be unique"#
        );
    }

    #[test]
    fn display_views_follow_the_shell_rules() {
        let c = cat(r#"[
            {"id": "a", "title": "", "name": "Mug", "images": ["m.png", "n.png"], "thumbnail": "t.png",
             "price": 4.5, "currency": "EUR", "link": "/p/a", "genres": ["kitchen", "tea"],
             "available": false, "inStock": true},
            {"id": "b", "title": 42, "price": "3.00", "currency": 7, "categories": [], "genre": "garden"},
            {"id": "c", "image": "", "thumbnail": "https://x/t.png"}
        ]"#).unwrap();
        // inStock and available are both booleans: the last of
        // inStock, in_stock, available present wins.
        assert_eq!(
            c.display(0),
            ItemView {
                id: "a".into(),
                title: "Mug".into(),
                image: Some("t.png".into()),
                price: Some(4.5),
                currency: Some("EUR".into()),
                url: Some("/p/a".into()),
                category: Some("kitchen".into()),
                in_stock: Some(false),
            }
        );
        assert_eq!(c.title(0), Some("Mug"));
        // A numeric title is its text; a price string is not shown; an
        // empty array gives way to the next name.
        let b = c.display(1);
        assert_eq!(
            (b.title.as_str(), b.price, b.currency.as_deref()),
            ("42", None, None)
        );
        assert_eq!(b.category.as_deref(), Some("garden"));
        let json = serde_json::to_string(&c.display(2)).unwrap();
        assert_eq!(json, r#"{"id":"c","title":"c","image":"https://x/t.png"}"#);
    }

    #[test]
    fn every_string_is_held_to_the_limit_even_in_ignored_fields() {
        let big = "a".repeat(limits::MAX_STRING_BYTES + 1);
        for (json, path) in [
            (format!(r#"[{{"id": 1, "image": "{big}"}}]"#), "$[0].image"),
            (
                format!(r#"{{"items": [{{"id": 1}}, {{"id": 2, "x": {{"y": ["{big}"]}}}}]}}"#),
                "$.items[1].x.y[0]",
            ),
        ] {
            let e = cat(&json).unwrap_err();
            assert_eq!(e.code(), "limit_exceeded");
            assert!(
                e.to_string().starts_with(&format!("{path}: string of")),
                "{e}"
            );
            let e = Catalogue::from_value(
                serde_json::from_str(&json).unwrap(),
                &CatalogueConfig::default(),
            )
            .unwrap_err();
            assert!(
                e.to_string().starts_with(&format!("{path}: string of")),
                "{e}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let c = Catalogue::from_json(
            b"\xEF\xBB\xBF[{\"id\": \"a\"}]",
            &CatalogueConfig::default(),
        )
        .unwrap();
        assert_eq!(c.ids(), ["a"]);
    }

    #[test]
    fn a_lone_surrogate_escape_is_named() {
        for text in [
            r#"[{"id": "a\uD800"}]"#,
            r#"[{"id": "a\uD800\u0041"}]"#,
            r#"[{"id": "\uDC00"}]"#,
        ] {
            let e = cat(text).unwrap_err();
            assert_eq!(e.code(), "invalid_json");
            assert!(
                e.to_string().contains(r"a lone UTF-16 surrogate \uD8")
                    || e.to_string().contains(r"a lone UTF-16 surrogate \uDC00"),
                "{e}"
            );
            assert!(
                e.to_string()
                    .starts_with("catalogue: invalid JSON at line 1, column"),
                "{e}"
            );
        }
    }

    #[test]
    fn nested_values_are_described_as_before() {
        let e = cat(r#"[{"id": 1, "tags": ["a", [1, 2]]}]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$[0].tags[1]: expected a string or an array of strings, got an array of 2 elements"
        );
        let e = cat(r#"{"items": {"a": 1}}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$.items: expected an array of item objects, got an object"
        );
        let e = cat(r#"[{"id": 1}, "x"]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"$[1]: expected an item object, got string "x""#
        );
        // A repeated key keeps its last value, as a JSON object does.
        let c = cat(r#"[{"id": 1, "title": "old", "title": "new"}]"#).unwrap();
        assert_eq!(c.title(0), Some("new"));
    }
}
