//! Filters applied inside ranking, before the list is cut to `k`, so a
//! filtered query still returns `k` items whenever `k` candidates pass.

use serde::Deserialize;

use crate::data::catalogue::Catalogue;
use crate::error::{Error, Result};

/// Which items may be recommended. Every condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Filter {
    /// Item ids never to return (ids the catalogue lacks are ignored).
    pub exclude: Vec<String>,
    /// Only items whose availability flag is not `false`.
    pub in_stock_only: bool,
    /// If non-empty, only items in at least one of these categories
    /// (case-insensitive match on the catalogue's category field).
    pub categories: Vec<String>,
    /// Items in any of these categories are left out.
    pub exclude_categories: Vec<String>,
    /// Lowest price accepted (inclusive); items without a price fail.
    pub min_price: Option<f64>,
    /// Highest price accepted (inclusive); items without a price fail.
    pub max_price: Option<f64>,
}

impl Filter {
    /// Checks the price range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a non-finite bound or `minPrice > maxPrice`.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("filter.minPrice", self.min_price),
            ("filter.maxPrice", self.max_price),
        ] {
            if let Some(v) = v.filter(|v| !v.is_finite()) {
                return Err(Error::config(
                    name,
                    format!("must be a finite number, got {v}"),
                ));
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_price, self.max_price) {
            if lo > hi {
                return Err(Error::config(
                    "filter.minPrice",
                    format!("must be ≤ maxPrice ({hi}), got {lo}"),
                ));
            }
        }
        Ok(())
    }

    /// True when the filter lets every item through.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// One flag per item: may it be returned? The filter is trusted: it
    /// comes from a checked query ([`crate::recommend::CheckedQuery`]).
    pub fn mask(&self, catalogue: &Catalogue) -> Vec<bool> {
        debug_assert!(self.validate().is_ok(), "filters are checked at the edge");
        if self.is_empty() {
            return vec![true; catalogue.len()];
        }
        let fold = |v: &[String]| {
            v.iter()
                .map(|s| s.trim().to_lowercase())
                .collect::<Vec<_>>()
        };
        let (include, exclude_cats) = (fold(&self.categories), fold(&self.exclude_categories));
        let mut mask: Vec<bool> = (0..catalogue.len() as u32)
            .map(|i| {
                if self.in_stock_only && !catalogue.is_available(i) {
                    return false;
                }
                let cats = catalogue.categories(i);
                let has =
                    |wanted: &[String]| cats.iter().any(|c| wanted.contains(&c.to_lowercase()));
                if !include.is_empty() && !has(&include) || has(&exclude_cats) {
                    return false;
                }
                if self.min_price.is_some() || self.max_price.is_some() {
                    let Some(p) = catalogue.price(i) else {
                        return false;
                    };
                    if self.min_price.is_some_and(|lo| p < lo)
                        || self.max_price.is_some_and(|hi| p > hi)
                    {
                        return false;
                    }
                }
                true
            })
            .collect();
        for id in &self.exclude {
            if let Some(i) = catalogue.index_of(id) {
                mask[i as usize] = false;
            }
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::CatalogueConfig;

    #[test]
    fn each_condition_filters() {
        let c = Catalogue::from_json(
            r#"[{"id": "a", "category": "Toys", "price": 5, "inStock": true},
                {"id": "b", "category": "Garden", "price": 50, "inStock": false},
                {"id": "c", "category": ["toys", "garden"]},
                {"id": "d", "price": 20}]"#,
            &CatalogueConfig::default(),
        )
        .unwrap();
        let mask = |f: Filter| f.mask(&c);
        assert_eq!(mask(Filter::default()), [true; 4]);
        assert_eq!(
            mask(Filter {
                in_stock_only: true,
                ..Default::default()
            }),
            [true, false, true, true]
        );
        assert_eq!(
            mask(Filter {
                categories: vec!["TOYS".into()],
                ..Default::default()
            }),
            [true, false, true, false]
        );
        assert_eq!(
            mask(Filter {
                exclude_categories: vec!["garden".into()],
                ..Default::default()
            }),
            [true, false, false, true]
        );
        assert_eq!(
            mask(Filter {
                min_price: Some(10.0),
                max_price: Some(50.0),
                ..Default::default()
            }),
            [false, true, false, true]
        );
        assert_eq!(
            mask(Filter {
                exclude: vec!["a".into(), "zz".into()],
                ..Default::default()
            }),
            [false, true, true, true]
        );
        let bad = Filter {
            min_price: Some(9.0),
            max_price: Some(1.0),
            ..Default::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "config filter.minPrice: must be ≤ maxPrice (1), got 9"
        );
    }
}
