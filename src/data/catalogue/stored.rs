//! A catalogue as a model index stores it: per item, what cards show and
//! what filters test, without the fields only the content model reads (the
//! index ships the content model's vectors instead).

use rustc_hash::FxHashMap;

use super::display::{Labels, Shown};
use super::{Catalogue, Field, FieldValues};
use crate::error::{Error, Result};
use crate::limits;

/// One item of a model index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredItem {
    /// External id.
    pub id: String,
    /// Its own title, if it has one.
    pub title: Option<String>,
    /// Image URL.
    pub image: Option<String>,
    /// Link to the item's page.
    pub url: Option<String>,
    /// The price a card shows.
    pub shown_price: Option<f64>,
    /// Currency code.
    pub currency: Option<String>,
    /// The category a card shows.
    pub category: Option<String>,
    /// The record's stock flag.
    pub in_stock: Option<bool>,
    /// False when out of stock (filters).
    pub available: bool,
    /// Values of the category field (filters).
    pub categories: Vec<String>,
    /// Values of the numeric fields (filters, and explanations that show
    /// an item's own value), in the order of [`StoredFields::numeric`].
    pub numbers: Vec<Option<f64>>,
}

/// The names of the filter fields of a stored catalogue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredFields {
    /// Name of the category field, if the catalogue has one.
    pub category: Option<String>,
    /// Name of the price field, if the catalogue has one (one of `numeric`).
    pub price: Option<String>,
    /// Names of the numeric fields.
    pub numeric: Vec<String>,
}

impl Catalogue {
    /// The item as a model index stores it.
    pub fn stored(&self, index: u32) -> StoredItem {
        let i = index as usize;
        let view = self.display(index);
        StoredItem {
            id: self.ids[i].clone(),
            title: self.title(index).map(str::to_string),
            image: view.image,
            url: view.url,
            shown_price: view.price,
            currency: view.currency,
            category: view.category,
            in_stock: view.in_stock,
            available: self.available[i],
            categories: self.categories(index).to_vec(),
            numbers: self
                .fields
                .iter()
                .filter_map(|f| match &f.values {
                    FieldValues::Numeric(v) => Some(v[i]),
                    _ => None,
                })
                .collect(),
        }
    }

    /// The names of the filter fields.
    pub fn stored_fields(&self) -> StoredFields {
        let name = |f: Option<usize>| f.map(|f| self.fields[f].name.clone());
        StoredFields {
            category: name(self.category_field),
            price: name(self.price_field),
            numeric: self
                .fields
                .iter()
                .filter(|f| matches!(f.values, FieldValues::Numeric(_)))
                .map(|f| f.name.clone())
                .collect(),
        }
    }

    /// A catalogue from a model index's items. Its fields (the category
    /// field and the numeric ones) serve filters and explanations only
    /// (weight 0): the content model comes from the index's vectors.
    ///
    /// # Errors
    /// [`Error::Empty`] for no items, [`Error::LimitExceeded`] past
    /// [`limits::MAX_ITEMS`], [`Error::DuplicateId`] for a repeated id.
    pub fn from_stored(items: Vec<StoredItem>, fields: &StoredFields) -> Result<Catalogue> {
        if items.is_empty() {
            return Err(Error::Empty("model index: it holds no items".into()));
        }
        if items.len() > limits::MAX_ITEMS {
            return Err(Error::LimitExceeded(format!(
                "model index: {} items is more than the limit of {}",
                items.len(),
                limits::MAX_ITEMS
            )));
        }
        let mut index = FxHashMap::default();
        for (i, item) in items.iter().enumerate() {
            if let Some(first) = index.insert(item.id.clone(), i as u32) {
                return Err(Error::DuplicateId {
                    path: format!("item {i}"),
                    id: item.id.clone(),
                    first_path: format!("item {first}"),
                });
            }
        }
        // One pass that moves each item's strings into the columns (a
        // model index's items are decoded just before, so nothing is
        // copied): opening an index spends most of its time allocating.
        let n = items.len();
        let mut labels = Labels::default();
        let mut ids = Vec::with_capacity(n);
        let mut titles = Vec::with_capacity(n);
        let mut shown = Vec::with_capacity(n);
        let mut available = Vec::with_capacity(n);
        let mut categories = Vec::with_capacity(if fields.category.is_some() { n } else { 0 });
        let mut numbers: Vec<Vec<Option<f64>>> = vec![Vec::with_capacity(n); fields.numeric.len()];
        for it in items {
            shown.push(Shown {
                image: it.image.map(String::into_boxed_str),
                url: it.url.map(String::into_boxed_str),
                price: it.shown_price,
                currency: it.currency.as_deref().map(|c| labels.intern(c)),
                category: it.category.as_deref().map(|c| labels.intern(c)),
                in_stock: it.in_stock,
            });
            titles.push(it.title.map(String::into_boxed_str));
            available.push(it.available);
            if fields.category.is_some() {
                categories.push(it.categories);
            }
            for (k, column) in numbers.iter_mut().enumerate() {
                column.push(it.numbers.get(k).copied().flatten());
            }
            ids.push(it.id);
        }
        let mut catalogue_fields = Vec::new();
        let mut category_field = None;
        let mut price_field = None;
        if let Some(name) = &fields.category {
            category_field = Some(catalogue_fields.len());
            catalogue_fields.push(filter_field(name, FieldValues::Categorical(categories)));
        }
        for (name, values) in fields.numeric.iter().zip(numbers) {
            if fields.price.as_ref() == Some(name) {
                price_field = Some(catalogue_fields.len());
            }
            catalogue_fields.push(filter_field(name, FieldValues::Numeric(values)));
        }
        Ok(Catalogue {
            available,
            titles,
            ids,
            index,
            shown,
            labels,
            fields: catalogue_fields,
            category_field,
            price_field,
            notes: Vec::new(),
        })
    }
}

fn filter_field(name: &str, values: FieldValues) -> Field {
    Field {
        name: name.to_string(),
        weight: 0.0,
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::CatalogueConfig;

    #[test]
    fn round_trip() {
        let c = Catalogue::from_json(
            r#"[{"id": "a", "title": "Mug", "price": 9.5, "currency": "EUR", "category": ["kitchen", "gift"], "image": "a.png", "url": "/a", "inStock": false},
                {"id": "b", "name": 7}]"#,
            &CatalogueConfig::default(),
        )
        .unwrap();
        let items: Vec<StoredItem> = (0..2).map(|i| c.stored(i)).collect();
        assert_eq!(items[0].categories, ["kitchen", "gift"]);
        assert!(!items[0].available);
        let back = Catalogue::from_stored(items.clone(), &c.stored_fields()).unwrap();
        for i in 0..2 {
            assert_eq!(back.display(i), c.display(i));
            assert_eq!(back.stored(i), items[i as usize]);
            assert_eq!(back.is_available(i), c.is_available(i));
            assert_eq!(back.categories(i), c.categories(i));
            assert_eq!(back.price(i), c.price(i));
        }
        assert_eq!(back.index_of("b"), Some(1));
        let mut twice = items.clone();
        twice[1].id = "a".into();
        let e = Catalogue::from_stored(twice, &c.stored_fields()).unwrap_err();
        assert_eq!(e.code(), "duplicate_id");
    }
}
