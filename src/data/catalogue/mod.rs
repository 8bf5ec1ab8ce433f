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
//! Every error names the JSON path of the bad value, what arrived and what
//! is accepted.

mod fields;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::limits;

use fields::{check_items, read_availability, read_ids, root_items};

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
    titles: Vec<Option<String>>,
    category_field: Option<usize>,
    price_field: Option<usize>,
    notes: Vec<String>,
}

impl Catalogue {
    /// Parses catalogue JSON text (or bytes; invalid UTF-8 is reported with
    /// its position).
    ///
    /// # Errors
    /// [`Error::Json`] for text that is not JSON, [`Error::LimitExceeded`]
    /// past [`limits`], and the errors of [`Catalogue::from_value`].
    pub fn from_json(text: impl AsRef<[u8]>, config: &CatalogueConfig) -> Result<Catalogue> {
        let bytes = text.as_ref();
        if bytes.len() > limits::MAX_INPUT_BYTES {
            return Err(Error::LimitExceeded(format!(
                "catalogue: {} bytes is more than the limit of {} bytes",
                bytes.len(),
                limits::MAX_INPUT_BYTES
            )));
        }
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| Error::json("catalogue", &e))?;
        Catalogue::from_value(value, config)
    }

    /// Builds a catalogue from parsed JSON.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] (with the JSON path) for a wrong root, an item
    /// that is not an object, a missing/empty/ill-typed id, or a value whose
    /// type does not fit its field's role; [`Error::DuplicateId`];
    /// [`Error::Empty`] for no items; [`Error::InvalidConfig`] for a config
    /// naming a field no item has, or a negative weight.
    pub fn from_value(value: Value, config: &CatalogueConfig) -> Result<Catalogue> {
        let (items, prefix) = root_items(value)?;
        if items.is_empty() {
            return Err(Error::Empty(format!(
                "catalogue: {prefix} holds no items; at least one is needed"
            )));
        }
        if items.len() > limits::MAX_ITEMS {
            return Err(Error::LimitExceeded(format!(
                "catalogue: {} items is more than the limit of {}",
                items.len(),
                limits::MAX_ITEMS
            )));
        }
        let objects = check_items(&items, &prefix)?;
        let (ids, index) = read_ids(&objects, &prefix)?;
        let mut catalogue = Catalogue {
            available: read_availability(&objects, &prefix)?,
            titles: Vec::new(),
            ids,
            index,
            fields: Vec::new(),
            category_field: None,
            price_field: None,
            notes: Vec::new(),
        };
        catalogue.read_fields(&objects, &prefix, config)?;
        catalogue.titles = catalogue.read_titles();
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

    /// Dense index of an external id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
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

    /// The item's title (`title` or `name` field), if it has one.
    pub fn title(&self, index: u32) -> Option<&str> {
        self.titles[index as usize].as_deref()
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
}
