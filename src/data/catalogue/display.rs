//! What a card shows about an item: its display fields, picked from the
//! item's own record by the usual names, so the browser shell need not
//! parse the catalogue a second time.
//!
//! | view field | taken from (first present wins, unless noted) |
//! |---|---|
//! | `title` | `title`, `name`: the first non-empty string, or a number as text; else the id |
//! | `image` | `image`, `thumbnail`, `images` (of an array, its first element) |
//! | `price` | `price`, when it is a number |
//! | `currency` | `currency`, when it is a string |
//! | `url` | `url`, `link` |
//! | `category` | `category`, `categories`, `genre`, `genres` (of an array, its first element) |
//! | `inStock` | the boolean in `inStock`, `in_stock` or `available`; the last one present wins |
//!
//! Values are kept as written: relative URLs are not resolved. Strings
//! (image, URL, title) are the item's own; currencies and categories are
//! shared between items, since a shop has few of them.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::raw::{Raw, RawItems};

/// The display fields of one item. Optional fields are left out of the
/// JSON when absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemView {
    /// The item's id.
    pub id: String,
    /// Its title, or its id when it has none.
    pub title: String,
    /// Image URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Price (a number in the record; price strings are not shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Currency code, for formatting the price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Link to the item's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// First category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `false` when the record says the item is out of stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_stock: Option<bool>,
}

/// One item's display fields, compactly: about 64 bytes plus its own
/// strings. The title lives in the catalogue's `titles`.
#[derive(Debug, Clone, Default)]
pub(super) struct Shown {
    pub(super) image: Option<Box<str>>,
    pub(super) url: Option<Box<str>>,
    pub(super) price: Option<f64>,
    /// Index into [`Labels`], shared between items.
    pub(super) currency: Option<u32>,
    pub(super) category: Option<u32>,
    pub(super) in_stock: Option<bool>,
}

/// Strings many items share (currencies, categories), stored once.
#[derive(Debug, Clone, Default)]
pub(super) struct Labels {
    values: Vec<Box<str>>,
    index: FxHashMap<Box<str>, u32>,
}

impl Labels {
    pub(super) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(s.into());
        self.index.insert(s.into(), i);
        i
    }

    fn get(&self, i: Option<u32>) -> Option<String> {
        i.map(|i| self.values[i as usize].to_string())
    }
}

const TITLE: &[&str] = &["title", "name"];
const IMAGE: &[&str] = &["image", "thumbnail", "images"];
const URL: &[&str] = &["url", "link"];
const CATEGORY: &[&str] = &["category", "categories", "genre", "genres"];
const STOCK: &[&str] = &["inStock", "in_stock", "available"];

/// The display fields of every item, and their titles. Reads the items
/// before their fields are taken into columns.
pub(super) fn read_display(raw: &RawItems) -> (Vec<Shown>, Labels, Vec<Option<Box<str>>>) {
    let ids =
        |names: &[&str]| -> Vec<Option<u32>> { names.iter().map(|n| raw.name_id(n)).collect() };
    let (title, image, url, category, stock) =
        (ids(TITLE), ids(IMAGE), ids(URL), ids(CATEGORY), ids(STOCK));
    let (price, currency) = (raw.name_id("price"), raw.name_id("currency"));
    let mut labels = Labels::default();
    let mut shown = Vec::with_capacity(raw.items.len());
    let mut titles = Vec::with_capacity(raw.items.len());
    for i in 0..raw.items.len() {
        let first = |names: &[Option<u32>]| first_string(names.iter().map(|&n| raw.get(i, n)));
        titles.push(first(&title).map(String::into_boxed_str));
        shown.push(Shown {
            image: first(&image).map(String::into_boxed_str),
            url: first(&url).map(String::into_boxed_str),
            price: match raw.get(i, price) {
                Some(Raw::Number(n)) => n.as_f64().filter(|x| x.is_finite()),
                _ => None,
            },
            currency: raw
                .get(i, currency)
                .and_then(Raw::as_str)
                .map(|c| labels.intern(c)),
            category: first(&category).map(|c| labels.intern(&c)),
            // The last boolean wins, as the shell's loop leaves it.
            in_stock: stock.iter().rev().find_map(|&n| match raw.get(i, n) {
                Some(Raw::Bool(b)) => Some(*b),
                _ => None,
            }),
        });
    }
    (shown, labels, titles)
}

/// The first non-empty string, or number as text, among `values` (of an
/// array, its first element), as the shell's `firstString` picks it.
fn first_string<'a>(values: impl Iterator<Item = Option<&'a Raw>>) -> Option<String> {
    values.flatten().find_map(|v| {
        let v = match v {
            Raw::Array(a) => a.first()?,
            v => v,
        };
        match v {
            Raw::Str(s) if !s.is_empty() => Some(s.to_string()),
            Raw::Number(n) => Some(js_number_text(n)),
            _ => None,
        }
    })
}

/// A number as JavaScript's `String(n)` writes it, for the common cases:
/// integers without a fraction (`5`, not `5.0`).
fn js_number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(x) if n.is_f64() && x.fract() == 0.0 && x.abs() < 1e21 => format!("{x:.0}"),
        _ => n.to_string(),
    }
}

impl Shown {
    /// The full view, given the item's id and title.
    pub(super) fn view(&self, id: &str, title: Option<&str>, labels: &Labels) -> ItemView {
        ItemView {
            id: id.to_string(),
            title: title.unwrap_or(id).to_string(),
            image: self.image.as_deref().map(str::to_string),
            price: self.price,
            currency: labels.get(self.currency),
            url: self.url.as_deref().map(str::to_string),
            category: labels.get(self.category),
            in_stock: self.in_stock,
        }
    }
}
