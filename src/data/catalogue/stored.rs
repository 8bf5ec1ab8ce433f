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
    /// (weight 0): the content model comes from the index.
    ///
    /// # Errors
    /// [`Error::Empty`] for no items, [`Error::LimitExceeded`] past
    /// [`limits::MAX_ITEMS`], [`Error::DuplicateId`] for a repeated id.
    pub fn from_stored(items: Vec<StoredItem>, fields: &StoredFields) -> Result<Catalogue> {
        let mut catalogue = Catalogue::unopened(items.len(), fields)?;
        catalogue.fill_stored(0, items)?;
        Ok(catalogue)
    }

    /// A catalogue of `n` items not read yet: no ids, titles or display
    /// fields, available, no categories or numbers. A model index opened
    /// piece by piece fills it ([`Catalogue::fill_stored`],
    /// [`Catalogue::learn_id`]) with the items its queries show.
    ///
    /// # Errors
    /// [`Error::Empty`] for no items, [`Error::LimitExceeded`] past
    /// [`limits::MAX_ITEMS`].
    pub fn unopened(n: usize, fields: &StoredFields) -> Result<Catalogue> {
        if n == 0 {
            return Err(Error::Empty("model index: it holds no items".into()));
        }
        if n > limits::MAX_ITEMS {
            return Err(Error::LimitExceeded(format!(
                "model index: {n} items is more than the limit of {}",
                limits::MAX_ITEMS
            )));
        }
        let mut catalogue_fields = Vec::new();
        let mut category_field = None;
        let mut price_field = None;
        if let Some(name) = &fields.category {
            category_field = Some(catalogue_fields.len());
            let values = FieldValues::Categorical(vec![Vec::new(); n]);
            catalogue_fields.push(filter_field(name, values));
        }
        for name in &fields.numeric {
            if fields.price.as_ref() == Some(name) {
                price_field = Some(catalogue_fields.len());
            }
            catalogue_fields.push(filter_field(name, FieldValues::Numeric(vec![None; n])));
        }
        Ok(Catalogue {
            available: vec![true; n],
            titles: vec![None; n],
            ids: vec![String::new(); n],
            index: FxHashMap::default(),
            shown: vec![Shown::default(); n],
            labels: Labels::default(),
            fields: catalogue_fields,
            category_field,
            price_field,
            notes: Vec::new(),
        })
    }

    /// Fills items `first..first + items.len()` from a model index. One
    /// pass that moves each item's strings into the columns (they were
    /// decoded just before, so nothing is copied: opening an index spends
    /// most of its time allocating).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] past the catalogue's end;
    /// [`Error::DuplicateId`] for an id another item has.
    pub fn fill_stored(&mut self, first: usize, items: Vec<StoredItem>) -> Result<()> {
        if first + items.len() > self.len() {
            return Err(Error::value(
                "items",
                format!(
                    "items {first}..{} are past the catalogue's {} items",
                    first + items.len(),
                    self.len()
                ),
            ));
        }
        let numeric: Vec<usize> = (0..self.fields.len())
            .filter(|&f| matches!(self.fields[f].values, FieldValues::Numeric(_)))
            .collect();
        for (k, it) in items.into_iter().enumerate() {
            let i = first + k;
            self.learn_id(it.id, i as u32)?;
            self.shown[i] = Shown {
                image: it.image.map(String::into_boxed_str),
                url: it.url.map(String::into_boxed_str),
                price: it.shown_price,
                currency: it.currency.as_deref().map(|c| self.labels.intern(c)),
                category: it.category.as_deref().map(|c| self.labels.intern(c)),
                in_stock: it.in_stock,
            };
            self.titles[i] = it.title.map(String::into_boxed_str);
            self.available[i] = it.available;
            if let Some(FieldValues::Categorical(v)) =
                self.category_field.map(|f| &mut self.fields[f].values)
            {
                v[i] = it.categories;
            }
            for (column, &f) in numeric.iter().enumerate() {
                if let FieldValues::Numeric(v) = &mut self.fields[f].values {
                    v[i] = it.numbers.get(column).copied().flatten();
                }
            }
        }
        Ok(())
    }

    /// Records `id` as the id of item `index` (a model index's id
    /// directory names items before their records are read).
    ///
    /// # Errors
    /// [`Error::DuplicateId`] when another item has the id, or the item
    /// another id.
    pub fn learn_id(&mut self, id: String, index: u32) -> Result<()> {
        let i = index as usize;
        let clash = |first: String| Error::DuplicateId {
            path: format!("item {index}"),
            id: id.clone(),
            first_path: first,
        };
        match self.index.get(id.as_str()) {
            Some(&j) if j != index => return Err(clash(format!("item {j}"))),
            Some(_) => return Ok(()),
            None => {}
        }
        if !self.ids[i].is_empty() {
            return Err(clash(format!("item {index}, which is {:?}", self.ids[i])));
        }
        self.index.insert(id.clone(), index);
        self.ids[i] = id;
        Ok(())
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
