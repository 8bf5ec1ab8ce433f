//! Order logs: what was sold, to whom, when and at what price.
//!
//! Two layouts are read, both CSV with a header row and columns found by
//! name (case-insensitively, `_` and spaces ignored):
//!
//! * **invoice lines**, as a shop's till or web shop exports them (the UCI
//!   Online Retail layout):
//!   `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country`;
//! * **the interactions format with quantities**: `user,item,quantity,timestamp`
//!   (the names `pocketrec build` reads), with an optional `price` column;
//!   without one, prices come from the catalogue.
//!
//! | column | accepted header names | required |
//! |---|---|---|
//! | product | `StockCode`, `item`, `item_id`, `product`, `product_id`, `sku` | yes |
//! | time | `InvoiceDate`, `timestamp`, `time`, `date`, `datetime`, `ts` | yes |
//! | quantity | `Quantity`, `qty`, `weight`, `count`, `units` | no (1) |
//! | unit price | `UnitPrice`, `price`, `unit_price` | no (the catalogue's) |
//! | customer | `CustomerID`, `customer`, `user`, `user_id`, `client` | no |
//! | invoice | `InvoiceNo`, `invoice`, `order`, `order_id` | no |
//! | description | `Description`, `title`, `name` | no |
//!
//! Times are seconds since 1970 or ISO 8601 dates (`2011-12-09 12:50:00`),
//! read as UTC. Other columns (`Country`) are ignored.
//!
//! **Returns and cancellations** are kept, not dropped: a line with a
//! negative quantity, or on an invoice whose number starts with `C`, is a
//! return of `|quantity|` units. Summing lines nets returns out of sales;
//! [`ReadReport`] counts them.
//!
//! **Accounting adjustments** (invoices numbered `A…`, such as Online
//! Retail's "Adjust bad debt" entries) and lines with a quantity of 0 sell
//! nothing: they are skipped and counted in [`ReadReport::skipped`].
//!
//! **Bad lines** are errors with their line number: a quantity or price that
//! is not a number, a negative price, a product the catalogue lacks (when
//! one is given), a bad time. Real exports may hold a few such lines
//! (postage codes missing from the catalogue);
//! [`OrdersOptions::skip_bad_lines`] skips them instead and counts each
//! kind with its first line in [`ReadReport::skipped`]. A log with no
//! lines, or with nothing but returns, is an error.

use rustc_hash::FxHashMap;

use super::columns::Columns;
use crate::data::catalogue::Catalogue;
use crate::data::interactions::parse_timestamp;
use crate::error::{shorten, Error, Result};
use crate::limits;

/// Seconds in a day: times are kept as whole days since 1970-01-01 (UTC).
const DAY: i64 = 86_400;

/// How an order log is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrdersOptions {
    /// Skip (and count) bad lines instead of stopping at the first one.
    /// Default `false`.
    pub skip_bad_lines: bool,
}

/// One product named in the log (or in the catalogue).
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// The shop's product id (StockCode, SKU).
    pub id: String,
    /// A description: the catalogue's title, else the log's first
    /// non-empty description, else empty.
    pub title: String,
    /// Categories from the catalogue (empty without one).
    pub categories: Vec<String>,
}

/// One line of the log, with dense indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderLine {
    /// Index into [`Orders::products`].
    pub product: u32,
    /// Index into [`Orders::customers`], `None` for an anonymous sale.
    pub customer: Option<u32>,
    /// Index into the invoices (distinct invoice numbers in order of first
    /// appearance); each line is its own order when the log has no invoice
    /// column.
    pub invoice: u32,
    /// Whole days since 1970-01-01 (UTC).
    pub day: i64,
    /// Units: positive for a sale, negative for a return or cancellation.
    pub quantity: f64,
    /// Price per unit (≥ 0), `None` when neither the log nor the catalogue
    /// gives one.
    pub unit_price: Option<f64>,
}

impl OrderLine {
    /// `true` for a return or cancellation.
    pub fn is_return(&self) -> bool {
        self.quantity < 0.0
    }

    /// Signed revenue `quantity × unit price` (0 without a price).
    pub fn revenue(&self) -> f64 {
        self.quantity * self.unit_price.unwrap_or(0.0)
    }
}

/// Lines skipped for one reason.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    /// Why, in words ("negative unit price").
    pub reason: String,
    /// How many lines.
    pub lines: u64,
    /// The first such line (1-based; the header is line 1) and its message.
    pub first: String,
}

/// What reading found besides the lines themselves.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadReport {
    /// Data lines read (without the header).
    pub lines: u64,
    /// Sale lines kept.
    pub sales: u64,
    /// Return or cancellation lines kept (netted out of sales).
    pub returns: u64,
    /// Units returned or cancelled.
    pub returned_units: f64,
    /// Lines without a customer (kept; they count for products, not for
    /// customer segments).
    pub anonymous: u64,
    /// Lines skipped, by reason.
    pub skipped: Vec<Skipped>,
}

/// An order log read into dense indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Orders {
    /// Products: the catalogue's items in its order when one was given,
    /// else the log's products in order of first appearance.
    pub products: Vec<Product>,
    /// Customer ids in order of first appearance.
    pub customers: Vec<String>,
    /// How many distinct invoices (orders).
    pub invoices: u32,
    /// The lines, in file order.
    pub lines: Vec<OrderLine>,
    /// Counts of returns, anonymous and skipped lines.
    pub report: ReadReport,
}

impl Orders {
    /// Reads an order log (CSV text, see the module docs).
    ///
    /// # Errors
    /// [`Error::Empty`] for no header or no lines; [`Error::Csv`] with the
    /// line for a missing column, a bad value (unless skipped), or a log of
    /// nothing but returns; [`Error::LimitExceeded`] past
    /// [`limits::MAX_INPUT_BYTES`] or [`limits::MAX_INTERACTIONS`] lines.
    pub fn from_csv(
        text: impl AsRef<[u8]>,
        catalogue: Option<&Catalogue>,
        options: &OrdersOptions,
    ) -> Result<Orders> {
        let text = text.as_ref();
        if text.len() > limits::MAX_INPUT_BYTES {
            return Err(Error::LimitExceeded(format!(
                "orders: {} bytes; at most {} are read",
                text.len(),
                limits::MAX_INPUT_BYTES
            )));
        }
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text);
        let header = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
        if header.iter().all(str::is_empty) {
            return Err(Error::Empty(
                "orders: the CSV is empty; it needs a header row such as InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country or user,item,quantity,timestamp,price".into(),
            ));
        }
        let columns = Columns::find(&header)?;
        let mut builder = Builder::new(catalogue, *options);
        let mut record = csv::StringRecord::new();
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(&e, 0))?
        {
            let line = record.position().map_or(0, |p| p.line());
            builder.report.lines += 1;
            if builder.report.lines > limits::MAX_INTERACTIONS as u64 {
                return Err(Error::LimitExceeded(format!(
                    "orders: more than {} lines",
                    limits::MAX_INTERACTIONS
                )));
            }
            builder.read_line(&record, &columns, line)?;
        }
        builder.finish()
    }
}

/// Accumulates lines into [`Orders`].
struct Builder<'a> {
    catalogue: Option<&'a Catalogue>,
    options: OrdersOptions,
    products: Vec<Product>,
    product_index: FxHashMap<String, u32>,
    customers: Vec<String>,
    customer_index: FxHashMap<String, u32>,
    invoice_index: FxHashMap<String, u32>,
    invoices: u32,
    lines: Vec<OrderLine>,
    report: ReadReport,
    /// The line being read, for skip counts.
    line: u64,
}

impl<'a> Builder<'a> {
    fn new(catalogue: Option<&'a Catalogue>, options: OrdersOptions) -> Builder<'a> {
        let products: Vec<Product> = catalogue.map_or_else(Vec::new, |c| {
            (0..c.len() as u32)
                .map(|i| Product {
                    id: c.id(i).to_string(),
                    title: c.title(i).unwrap_or("").to_string(),
                    categories: c.categories(i).to_vec(),
                })
                .collect()
        });
        Builder {
            catalogue,
            options,
            products,
            product_index: FxHashMap::default(),
            customers: Vec::new(),
            customer_index: FxHashMap::default(),
            invoice_index: FxHashMap::default(),
            invoices: 0,
            lines: Vec::new(),
            report: ReadReport::default(),
            line: 0,
        }
    }

    /// Reads one line; a bad value is an error or, with `skip_bad_lines`, a
    /// counted skip.
    fn read_line(
        &mut self,
        record: &csv::StringRecord,
        columns: &Columns,
        line: u64,
    ) -> Result<()> {
        self.line = line;
        match self.parse_line(record, columns) {
            Ok(Some(parsed)) => {
                self.push(parsed);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err((reason, message)) if self.options.skip_bad_lines => {
                self.skip(reason, line, message);
                Ok(())
            }
            Err((_, message)) => Err(Error::Csv {
                source_name: "orders".into(),
                line,
                message: format!("{message} (--skip-bad-lines skips such lines and counts them)"),
            }),
        }
    }

    /// One line's fields, checked; `Ok(None)` for a line that is not a
    /// sale or return (counted as skipped); errors carry a short reason (for
    /// the skip count) and a full message.
    fn parse_line<'r>(
        &mut self,
        record: &'r csv::StringRecord,
        columns: &Columns,
    ) -> std::result::Result<Option<Parsed<'r>>, (&'static str, String)> {
        let field = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let invoice = field(columns.invoice);
        // Tills number accounting entries ("Adjust bad debt") A…, as they
        // number cancellations C…: bookkeeping, not goods sold.
        if invoice.starts_with(['A', 'a']) {
            self.skip_line(
                "accounting adjustment",
                format!(
                    "invoice {:?} (A…) adjusts the books; it is not a sale or a return",
                    shorten(invoice, 40)
                ),
            );
            return Ok(None);
        }
        let product = field(Some(columns.product));
        if product.is_empty() {
            return Err(("no product", "the product column is empty".into()));
        }
        if product.len() > limits::MAX_ID_BYTES {
            return Err((
                "product id too long",
                format!(
                    "product id of {} bytes; at most {} are accepted",
                    product.len(),
                    limits::MAX_ID_BYTES
                ),
            ));
        }
        if let Some(catalogue) = self.catalogue {
            if catalogue.index_of(product).is_none() {
                return Err(("product not in the catalogue", format!("product {:?} is not in the catalogue; every product must be one of its items", shorten(product, 40))));
            }
        }
        let time = field(Some(columns.time));
        let seconds = parse_timestamp(time).map_err(|m| ("bad time", m))?;
        let quantity = match field(columns.quantity) {
            "" => 1.0,
            q => number(q, "quantity").map_err(|m| ("bad quantity", m))?,
        };
        if quantity == 0.0 {
            self.skip_line("quantity 0", "a quantity of 0 sells nothing".into());
            return Ok(None);
        }

        let unit_price = match field(columns.price) {
            "" => None,
            p => Some(number(p, "unit price").map_err(|m| ("bad unit price", m))?),
        };
        if let Some(price) = unit_price.filter(|p| *p < 0.0) {
            return Err((
                "negative unit price",
                format!(
                    "unit price {price} for product {:?} is negative; prices must be 0 or more",
                    shorten(product, 40)
                ),
            ));
        }
        let cancelled = invoice.starts_with(['C', 'c']);
        Ok(Some(Parsed {
            product,
            customer: field(columns.customer),
            invoice,
            description: field(columns.description),
            day: seconds.div_euclid(DAY),
            // A cancellation invoice returns units whatever the sign says.
            quantity: if cancelled { -quantity.abs() } else { quantity },
            unit_price,
        }))
    }

    fn push(&mut self, parsed: Parsed<'_>) {
        let product = self.product(parsed.product, parsed.description);
        let customer = (!parsed.customer.is_empty()).then(|| {
            intern(
                &mut self.customers,
                &mut self.customer_index,
                parsed.customer,
            )
        });
        if customer.is_none() {
            self.report.anonymous += 1;
        }
        let invoice = if parsed.invoice.is_empty() {
            self.invoices += 1;
            self.invoices - 1
        } else {
            let next = self.invoices;
            let index = *self
                .invoice_index
                .entry(parsed.invoice.to_string())
                .or_insert(next);
            if index == next {
                self.invoices += 1;
            }
            index
        };
        let unit_price = parsed
            .unit_price
            .or_else(|| self.catalogue.and_then(|c| c.price(product)));
        if parsed.quantity < 0.0 {
            self.report.returns += 1;
            self.report.returned_units -= parsed.quantity;
        } else {
            self.report.sales += 1;
        }
        self.lines.push(OrderLine {
            product,
            customer,
            invoice,
            day: parsed.day,
            quantity: parsed.quantity,
            unit_price,
        });
    }

    /// The product's index, adding it (with the line's description) when
    /// the log names it first.
    fn product(&mut self, id: &str, description: &str) -> u32 {
        if let Some(catalogue) = self.catalogue {
            // Checked in `parse_line`.
            return catalogue.index_of(id).unwrap_or(0);
        }
        if let Some(&index) = self.product_index.get(id) {
            let product = &mut self.products[index as usize];
            if product.title.is_empty() && !description.is_empty() {
                product.title = description.to_string();
            }
            return index;
        }
        let index = self.products.len() as u32;
        self.product_index.insert(id.to_string(), index);
        self.products.push(Product {
            id: id.to_string(),
            title: description.to_string(),
            categories: Vec::new(),
        });
        index
    }

    /// Counts the current line as skipped (not an error).
    fn skip_line(&mut self, reason: &str, message: String) {
        self.skip(reason, self.line, message);
    }

    fn skip(&mut self, reason: &str, line: u64, message: String) {
        match self.report.skipped.iter_mut().find(|s| s.reason == reason) {
            Some(s) => s.lines += 1,
            None => self.report.skipped.push(Skipped {
                reason: reason.to_string(),
                lines: 1,
                first: format!("line {line}: {message}"),
            }),
        }
    }

    fn finish(self) -> Result<Orders> {
        if self.lines.is_empty() && self.report.skipped.is_empty() {
            return Err(Error::Empty(
                "orders: the log has a header but no lines; it needs at least one sale".into(),
            ));
        }
        if self.report.sales == 0 {
            let skipped: u64 = self.report.skipped.iter().map(|s| s.lines).sum();
            return Err(Error::Empty(format!(
                "orders: no sales among {} lines ({} returns or cancellations, {skipped} skipped); a plan needs at least one sale",
                self.report.lines, self.report.returns
            )));
        }
        Ok(Orders {
            products: self.products,
            customers: self.customers,
            invoices: self.invoices,
            lines: self.lines,
            report: self.report,
        })
    }
}

/// A checked line, borrowing its text from the record.
struct Parsed<'r> {
    product: &'r str,
    customer: &'r str,
    invoice: &'r str,
    description: &'r str,
    day: i64,
    quantity: f64,
    unit_price: Option<f64>,
}

fn intern(names: &mut Vec<String>, index: &mut FxHashMap<String, u32>, name: &str) -> u32 {
    if let Some(&i) = index.get(name) {
        return i;
    }
    let i = names.len() as u32;
    index.insert(name.to_string(), i);
    names.push(name.to_string());
    i
}

/// A finite number no larger than 1e12 in magnitude.
fn number(text: &str, what: &str) -> std::result::Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x.abs() <= 1e12 => Ok(x),
        _ => Err(format!(
            "{what} {:?} is not a number between -1e12 and 1e12",
            shorten(text, 40)
        )),
    }
}

fn csv_error(e: &csv::Error, fallback_line: u64) -> Error {
    let line = e.position().map_or(fallback_line, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "invalid UTF-8 in field {}; the file must be UTF-8 text",
            err.field() + 1
        ),
        _ => e.to_string(),
    };
    Error::Csv {
        source_name: "orders".into(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVOICES: &str =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,MUG,BLUE MUG,6,2010-12-01 08:26:00,2.50,17850,United Kingdom
536365,POT,TEAPOT,1,2010-12-01 08:26:00,20,17850,United Kingdom
536366,MUG,,2,2010-12-02 10:00:00,2.50,,France
C536367,MUG,BLUE MUG,-1,2010-12-03 09:00:00,2.50,17850,United Kingdom
";

    fn read(text: &str) -> Result<Orders> {
        Orders::from_csv(text, None, &OrdersOptions::default())
    }

    #[test]
    fn invoice_lines_are_read_with_returns_netted_and_counted() {
        let orders = read(INVOICES).unwrap();
        let ids: Vec<&str> = orders.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["MUG", "POT"]);
        assert_eq!(orders.products[0].title, "BLUE MUG");
        assert_eq!(orders.customers, ["17850"]);
        assert_eq!(orders.invoices, 3);
        assert_eq!(orders.lines.len(), 4);
        let r = &orders.report;
        assert_eq!(
            (r.sales, r.returns, r.returned_units, r.anonymous),
            (3, 1, 1.0, 1)
        );
        let net_mug: f64 = orders
            .lines
            .iter()
            .filter(|l| l.product == 0)
            .map(|l| l.quantity)
            .sum();
        assert_eq!(net_mug, 7.0);
        let revenue: f64 = orders.lines.iter().map(OrderLine::revenue).sum();
        assert_eq!(revenue, 15.0 + 20.0 + 5.0 - 2.5);
        // 2010-12-01 is day 14,944 since 1970-01-01.
        assert_eq!(orders.lines[0].day, 14_944);
    }

    #[test]
    fn a_cancellation_invoice_is_a_return_whatever_its_sign() {
        let orders = read("invoice,sku,qty,date\nC1,a,3,2024-01-01\n2,a,5,2024-01-02\n").unwrap();
        assert_eq!(orders.lines[0].quantity, -3.0);
        assert_eq!(orders.report.returns, 1);
    }

    #[test]
    fn the_interactions_format_takes_prices_from_the_catalogue() {
        let catalogue = Catalogue::from_json(
            r#"{"items": [{"id": "a", "title": "Mug", "price": 4, "category": "kitchen"}, {"id": "b", "title": "Lamp"}]}"#,
            &Default::default(),
        )
        .unwrap();
        let orders = Orders::from_csv(
            "user,item,quantity,timestamp\nu1,a,2,1700000000\nu2,b,1,1700000000\n",
            Some(&catalogue),
            &OrdersOptions::default(),
        )
        .unwrap();
        assert_eq!(orders.lines[0].unit_price, Some(4.0));
        assert_eq!(orders.lines[1].unit_price, None);
        assert_eq!(orders.products[0].categories, ["kitchen"]);
        assert_eq!(orders.products[1].title, "Lamp");
        let unknown = Orders::from_csv(
            "user,item,quantity,timestamp\nu1,zz,2,1700000000\n",
            Some(&catalogue),
            &OrdersOptions::default(),
        )
        .unwrap_err();
        assert_eq!(unknown.to_string(), "orders line 2: product \"zz\" is not in the catalogue; every product must be one of its items (--skip-bad-lines skips such lines and counts them)");
    }

    #[test]
    fn bad_logs_are_clear_errors() {
        let empty = read("").unwrap_err().to_string();
        assert!(empty.contains("needs a header row"), "{empty}");
        let no_lines = read("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice\n")
            .unwrap_err()
            .to_string();
        assert!(no_lines.contains("no lines"), "{no_lines}");
        let returns = read(
            "InvoiceNo,StockCode,Quantity,InvoiceDate\nC1,a,-1,2024-01-01\n2,a,-2,2024-01-02\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(returns, "orders: no sales among 2 lines (2 returns or cancellations, 0 skipped); a plan needs at least one sale");
        let negative = read(
            "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice\n1,B,1,2024-01-01,-11062.06\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(negative, "orders line 2: unit price -11062.06 for product \"B\" is negative; prices must be 0 or more (--skip-bad-lines skips such lines and counts them)");
        let no_product = read("user,quantity,date\nu,1,2024-01-01\n")
            .unwrap_err()
            .to_string();
        assert!(
            no_product.starts_with("orders line 1: no product column"),
            "{no_product}"
        );
        let bad_time = read("sku,date\na,yesterday\n").unwrap_err().to_string();
        assert!(
            bad_time.starts_with("orders line 2: timestamp \"yesterday\""),
            "{bad_time}"
        );
        let bad_quantity = read("sku,date,qty\na,2024-01-01,many\n")
            .unwrap_err()
            .to_string();
        assert!(
            bad_quantity.contains("quantity \"many\" is not a number"),
            "{bad_quantity}"
        );
    }

    #[test]
    fn accounting_adjustments_are_skipped_and_counted_not_sold() {
        // Online Retail's three "Adjust bad debt" lines: +11062.06 and twice
        // −11062.06 on invoices A563185–7. Neither a sale nor an error.
        let text = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice\n1,a,mug,2,2024-01-01,3\nA563185,B,Adjust bad debt,1,2024-01-02,11062.06\nA563186,B,Adjust bad debt,1,2024-01-02,-11062.06\n";
        let orders = read(text).unwrap();
        assert_eq!(orders.lines.len(), 1);
        assert_eq!(orders.products.len(), 1);
        let skipped = &orders.report.skipped;
        assert_eq!((skipped.len(), skipped[0].lines), (1, 2));
        assert_eq!(skipped[0].reason, "accounting adjustment");
        assert!(orders.report.skipped[0]
            .first
            .starts_with("line 3: invoice \"A563185\""));
    }

    #[test]
    fn skipping_counts_each_kind_with_its_first_line() {
        let text = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice\n1,B,1,2024-01-01,-5\n2,B,1,2024-01-01,-6\n3,a,0,2024-01-01,1\n4,a,2,2024-01-02,1\n";
        let orders = Orders::from_csv(
            text,
            None,
            &OrdersOptions {
                skip_bad_lines: true,
            },
        )
        .unwrap();
        assert_eq!(orders.lines.len(), 1);
        assert_eq!(orders.report.skipped.len(), 2);
        assert_eq!(orders.report.skipped[0].reason, "negative unit price");
        assert_eq!(orders.report.skipped[0].lines, 2);
        assert!(orders.report.skipped[0]
            .first
            .starts_with("line 2: unit price -5"));
        assert_eq!(orders.report.skipped[1].reason, "quantity 0");
        // Only the B product's lines were bad; it is not a product of the log.
        assert_eq!(orders.products.len(), 1);
    }
}
