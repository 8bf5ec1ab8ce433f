//! Finding an order log's columns by their header names.

use crate::error::{shorten, Error, Result};

/// Positions of the recognised columns in the header.
pub(super) struct Columns {
    pub(super) product: usize,
    pub(super) time: usize,
    pub(super) quantity: Option<usize>,
    pub(super) price: Option<usize>,
    pub(super) customer: Option<usize>,
    pub(super) invoice: Option<usize>,
    pub(super) description: Option<usize>,
}

impl Columns {
    const PRODUCT: &'static [&'static str] =
        &["stockcode", "item", "itemid", "product", "productid", "sku"];
    const TIME: &'static [&'static str] =
        &["invoicedate", "timestamp", "time", "date", "datetime", "ts"];
    const QUANTITY: &'static [&'static str] = &["quantity", "qty", "weight", "count", "units"];
    const PRICE: &'static [&'static str] = &["unitprice", "price"];
    const CUSTOMER: &'static [&'static str] =
        &["customerid", "customer", "user", "userid", "client"];
    const INVOICE: &'static [&'static str] = &["invoiceno", "invoice", "order", "orderid"];
    const DESCRIPTION: &'static [&'static str] = &["description", "title", "name"];

    pub(super) fn find(header: &csv::StringRecord) -> Result<Columns> {
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                h.chars()
                    .filter(|c| *c != '_' && *c != ' ')
                    .collect::<String>()
                    .to_lowercase()
            })
            .collect();
        let find = |accepted: &[&str]| {
            accepted
                .iter()
                .find_map(|a| names.iter().position(|n| n == a))
        };
        let required = |accepted: &[&str], what: &str| {
            find(accepted).ok_or_else(|| Error::Csv {
                source_name: "orders".into(),
                line: 1,
                message: format!(
                    "no {what} column in the header {:?}; accepted names: {}",
                    shorten(&header.iter().collect::<Vec<_>>().join(","), 120),
                    accepted.join(", ")
                ),
            })
        };
        Ok(Columns {
            product: required(Self::PRODUCT, "product")?,
            time: required(Self::TIME, "time")?,
            quantity: find(Self::QUANTITY),
            price: find(Self::PRICE),
            customer: find(Self::CUSTOMER),
            invoice: find(Self::INVOICE),
            description: find(Self::DESCRIPTION),
        })
    }
}
