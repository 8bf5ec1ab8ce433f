//! Stock on hand: the `--stock` file, one row per product.
//!
//! CSV with a header row; columns found by name (case-insensitively, `_`
//! and spaces ignored):
//!
//! | column | accepted header names |
//! |---|---|
//! | product | `id`, `sku`, `StockCode`, `item`, `product`, `product_id` |
//! | units on hand | `stock`, `on_hand`, `quantity`, `qty`, `units` |
//!
//! A product the plan does not know (neither in the catalogue nor in the
//! log), a product named twice, and a stock that is not a number ≥ 0 are
//! errors with their line. Products the file leaves out have an unknown
//! stock (`null` in the plan).

use rustc_hash::FxHashMap;

use crate::error::{shorten, Error, Result};
use crate::limits;

use super::orders::Product;

const ID: &[&str] = &["id", "sku", "stockcode", "item", "product", "productid"];
const STOCK: &[&str] = &["stock", "onhand", "quantity", "qty", "units"];

/// Reads a stock file into one entry per product (in `products` order),
/// `None` where the file does not name the product.
///
/// # Errors
/// [`Error::Empty`] for an empty file, [`Error::Csv`] with the line for a
/// missing column, an unknown or repeated product, or a bad number;
/// [`Error::LimitExceeded`] past [`limits::MAX_INPUT_BYTES`].
pub fn read_stock(text: impl AsRef<[u8]>, products: &[Product]) -> Result<Vec<Option<f64>>> {
    let text = text.as_ref();
    if text.len() > limits::MAX_INPUT_BYTES {
        return Err(Error::LimitExceeded(format!(
            "stock: {} bytes; at most {} are read",
            text.len(),
            limits::MAX_INPUT_BYTES
        )));
    }
    let error = |line: u64, message: String| Error::Csv {
        source_name: "stock".into(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text);
    let header = reader
        .headers()
        .map_err(|e| error(1, e.to_string()))?
        .clone();
    if header.iter().all(str::is_empty) {
        return Err(Error::Empty(
            "stock: the CSV is empty; it needs a header row id,stock and one row per product"
                .into(),
        ));
    }
    let names: Vec<String> = header
        .iter()
        .map(|h| h.replace(['_', ' '], "").to_lowercase())
        .collect();
    let column = |accepted: &[&str], what: &str| {
        accepted
            .iter()
            .find_map(|a| names.iter().position(|n| n == a))
            .ok_or_else(|| {
                error(
                    1,
                    format!(
                        "no {what} column in the header {:?}; accepted names: {}",
                        shorten(&header.iter().collect::<Vec<_>>().join(","), 120),
                        accepted.join(", ")
                    ),
                )
            })
    };
    let (id_column, stock_column) = (column(ID, "product id")?, column(STOCK, "stock")?);
    let index: FxHashMap<&str, usize> = products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut stock = vec![None; products.len()];
    let mut seen_at = vec![0u64; products.len()];
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| error(e.position().map_or(0, |p| p.line()), e.to_string()))?
    {
        let line = record.position().map_or(0, |p| p.line());
        let id = record.get(id_column).unwrap_or("");
        let Some(&i) = index.get(id) else {
            return Err(error(
                line,
                format!(
                    "product {:?} is not in the plan; stock rows must name products of the catalogue or the order log",
                    shorten(id, 40)
                ),
            ));
        };
        if seen_at[i] > 0 {
            return Err(error(
                line,
                format!(
                    "product {:?} appears again (first on line {}); give each product one row",
                    shorten(id, 40),
                    seen_at[i]
                ),
            ));
        }
        let text = record.get(stock_column).unwrap_or("");
        let units = text
            .parse::<f64>()
            .ok()
            .filter(|u| u.is_finite() && (0.0..=1e12).contains(u))
            .ok_or_else(|| {
                error(
                    line,
                    format!(
                        "stock {:?} for product {:?} is not a number between 0 and 1e12",
                        shorten(text, 40),
                        shorten(id, 40)
                    ),
                )
            })?;
        stock[i] = Some(units);
        seen_at[i] = line;
    }
    Ok(stock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products() -> Vec<Product> {
        ["a", "b", "c"]
            .iter()
            .map(|id| Product {
                id: id.to_string(),
                title: String::new(),
                categories: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn stock_rows_by_alias_with_gaps_left_unknown() {
        let s = read_stock("StockCode,On Hand\nc,4\na,0.5\n", &products()).unwrap();
        assert_eq!(s, [Some(0.5), None, Some(4.0)]);
        let s = read_stock("sku,quantity,where\nb,7,shelf\n", &products()).unwrap();
        assert_eq!(s, [None, Some(7.0), None]);
    }

    #[test]
    fn bad_stock_files_name_the_line() {
        let p = products();
        let e = |t: &str| read_stock(t, &p).unwrap_err().to_string();
        assert!(e("").contains("needs a header row id,stock"));
        assert!(e("id,count\na,1\n").starts_with("stock line 1: no stock column"));
        assert_eq!(
            e("id,stock\na,1\nzz,2\n"),
            "stock line 3: product \"zz\" is not in the plan; stock rows must name products of the catalogue or the order log"
        );
        assert_eq!(
            e("id,stock\na,1\nb,2\na,3\n"),
            "stock line 4: product \"a\" appears again (first on line 2); give each product one row"
        );
        assert_eq!(
            e("id,stock\na,-1\n"),
            "stock line 2: stock \"-1\" for product \"a\" is not a number between 0 and 1e12"
        );
        assert!(e("id,stock\nb,lots\n").contains("stock \"lots\""));
    }
}
