//! Recency, frequency and monetary value (RFM) of each customer, and the
//! standardised features k-means clusters them on.
//!
//! Only lines naming a customer count (anonymous sales are left out), and
//! only lines before the **as-of day** `T`: the day after the log's last
//! day, or a cut-off given as a date (lines on or after it are left out
//! and counted). For customer `c`:
//!
//! * **recency** `R = T − (day of c's last sale)`, in whole days (≥ 1: a
//!   sale on the log's last day is 1 day old);
//! * **frequency** `F` = distinct invoices on which `c` bought something
//!   (a line with a positive quantity); every line is its own invoice when
//!   the log has no invoice column;
//! * **monetary** `M = max(0, Σ quantity × unit price)` over all of `c`'s
//!   lines: sales minus returns, in the log's money. A customer who
//!   returned more than they bought (a return of an earlier year's
//!   purchase) is clamped at 0 and counted in [`Rfm::clamped`].
//!
//! Customers with returns but no sale have no recency; they are left out
//! and counted in [`Rfm::without_sale`].
//!
//! **Features.** The three are heavily right-skewed (a few wholesalers
//! buy hundreds of times), so each is log-transformed and standardised:
//! `x = ln(1 + v)`, `z = (x − mean(x)) / sd(x)` with the population
//! standard deviation (divided by `n`), and `z = 0` when `sd = 0`. Each
//! feature then weighs the same in the Euclidean distance.

use ndarray::Array2;
use rustc_hash::FxHashMap;

use super::orders::Orders;
use crate::error::{Error, Result};

/// One customer's RFM values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerRfm {
    /// Index into [`Orders::customers`].
    pub customer: u32,
    /// Days from the last sale to the as-of day (≥ 1).
    pub recency: i64,
    /// Distinct invoices with a sale.
    pub frequency: u32,
    /// Net revenue (sales − returns), clamped at 0.
    pub monetary: f64,
}

/// RFM values of every customer with a sale.
#[derive(Debug, Clone, PartialEq)]
pub struct Rfm {
    /// Customers with a sale, in the log's customer order.
    pub customers: Vec<CustomerRfm>,
    /// The as-of day `T` (days since 1970-01-01): recency counts to it; the
    /// data used end the day before.
    pub as_of: i64,
    /// Customers whose net revenue was negative, clamped to 0.
    pub clamped: usize,
    /// Customers with only returns before the as-of day, left out.
    pub without_sale: usize,
    /// Lines on or after the as-of day, left out.
    pub after_as_of: u64,
}

/// Per-customer running sums.
#[derive(Default, Clone, Copy)]
struct Tally {
    last_sale: Option<i64>,
    frequency: u32,
    revenue: f64,
    any: bool,
}

impl Rfm {
    /// RFM values of the customers of `orders`, up to `as_of` (days since
    /// 1970-01-01; default the day after the log's last day).
    ///
    /// # Errors
    /// [`Error::Empty`] when no line names a customer (no customer column,
    /// or an empty one) or no customer has a sale before `as_of`.
    pub fn from_orders(orders: &Orders, as_of: Option<i64>) -> Result<Rfm> {
        if orders.customers.is_empty() {
            return Err(Error::Empty(
                "orders: no line names a customer (no customer column, or it is empty on every line); segments need customer ids, in a column named CustomerID, customer, user, user_id or client".into(),
            ));
        }
        let last_day = orders.lines.iter().map(|l| l.day).max().unwrap_or(0);
        let as_of = as_of.unwrap_or(last_day + 1);
        let mut tallies = vec![Tally::default(); orders.customers.len()];
        // (customer, invoice) pairs already counted as a sale.
        let mut seen: FxHashMap<(u32, u32), ()> = FxHashMap::default();
        let mut after_as_of = 0;
        for line in &orders.lines {
            let Some(c) = line.customer else { continue };
            if line.day >= as_of {
                after_as_of += 1;
                continue;
            }
            let t = &mut tallies[c as usize];
            t.any = true;
            t.revenue += line.revenue();
            if !line.is_return() {
                t.last_sale = Some(t.last_sale.map_or(line.day, |d| d.max(line.day)));
                if seen.insert((c, line.invoice), ()).is_none() {
                    t.frequency += 1;
                }
            }
        }
        let mut rfm = Rfm {
            customers: Vec::new(),
            as_of,
            clamped: 0,
            without_sale: 0,
            after_as_of,
        };
        for (c, t) in tallies.iter().enumerate() {
            match t.last_sale {
                Some(last) => {
                    rfm.clamped += usize::from(t.revenue < 0.0);
                    rfm.customers.push(CustomerRfm {
                        customer: c as u32,
                        recency: as_of - last,
                        frequency: t.frequency,
                        monetary: t.revenue.max(0.0),
                    });
                }
                None => rfm.without_sale += usize::from(t.any),
            }
        }
        if rfm.customers.is_empty() {
            return Err(Error::Empty(format!(
                "orders: no customer has a sale before the as-of day ({} customers with only returns, {} lines on or after it); segments need customers who bought",
                rfm.without_sale, rfm.after_as_of
            )));
        }
        Ok(rfm)
    }

    /// The standardised features, one row per customer: `[z_R, z_F, z_M]`
    /// of `ln(1 + v)` (see the module docs).
    pub fn features(&self) -> Array2<f64> {
        let n = self.customers.len();
        let mut x = Array2::from_shape_fn((n, 3), |(i, j)| {
            let c = &self.customers[i];
            let v = match j {
                0 => c.recency as f64,
                1 => f64::from(c.frequency),
                _ => c.monetary,
            };
            v.ln_1p()
        });
        for mut column in x.columns_mut() {
            let mean = column.sum() / n as f64;
            let sd = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
            column.mapv_inplace(|v| if sd > 0.0 { (v - mean) / sd } else { 0.0 });
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::orders::OrdersOptions;

    /// Three customers and an anonymous sale; the log ends on 2024-01-10, so
    /// the as-of day is 2024-01-11.
    const LOG: &str = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID
1,A,2,2024-01-01 09:00,5,ann
1,B,1,2024-01-01 09:00,10,ann
2,A,1,2024-01-05 10:00,5,ann
C3,A,-1,2024-01-06 10:00,5,ann
4,B,3,2024-01-10 12:00,10,bob
5,A,1,2024-01-02 12:00,5,
C6,B,-2,2024-01-03 12:00,10,cy
7,A,1,2024-01-04 12:00,5,dee
C8,A,-3,2024-01-09 12:00,5,dee
";

    fn orders(text: &str) -> Orders {
        Orders::from_csv(text, None, &OrdersOptions::default()).unwrap()
    }

    #[test]
    fn rfm_by_hand_with_returns() {
        let rfm = Rfm::from_orders(&orders(LOG), None).unwrap();
        let as_of = crate::calendar::days_from_civil(2024, 1, 11);
        assert_eq!(rfm.as_of, as_of);
        // ann: last sale 2024-01-05, R = 11 − 5 = 6; invoices 1 and 2 with
        // sales (C3 is a return), F = 2; M = 2·5 + 1·10 + 1·5 − 1·5 = 20.
        // bob: R = 11 − 10 = 1, F = 1, M = 30.
        // cy: only a return, left out. dee: R = 7, F = 1,
        // M = 5 − 15 = −10, clamped to 0.
        let got: Vec<(u32, i64, u32, f64)> = rfm
            .customers
            .iter()
            .map(|c| (c.customer, c.recency, c.frequency, c.monetary))
            .collect();
        assert_eq!(got, [(0, 6, 2, 20.0), (1, 1, 1, 30.0), (3, 7, 1, 0.0)]);
        assert_eq!((rfm.clamped, rfm.without_sale, rfm.after_as_of), (1, 1, 0));
    }

    #[test]
    fn an_as_of_day_cuts_the_log() {
        // As-of day 2024-01-06: the customer lines C3, 4 and C8 (on the
        // 6th or later) are cut. ann: R = 6 − 5 = 1, F = 2,
        // M = 10 + 10 + 5 = 25; bob has nothing left; cy only a return;
        // dee: R = 6 − 4 = 2, F = 1, M = 5.
        let as_of = crate::calendar::days_from_civil(2024, 1, 6);
        let rfm = Rfm::from_orders(&orders(LOG), Some(as_of)).unwrap();
        let got: Vec<(u32, i64, u32, f64)> = rfm
            .customers
            .iter()
            .map(|c| (c.customer, c.recency, c.frequency, c.monetary))
            .collect();
        assert_eq!(got, [(0, 1, 2, 25.0), (3, 2, 1, 5.0)]);
        assert_eq!((rfm.without_sale, rfm.after_as_of), (1, 3));
    }

    #[test]
    fn features_are_log_standardised() {
        let rfm = Rfm::from_orders(&orders(LOG), None).unwrap();
        let z = rfm.features();
        // Frequencies 2, 1, 1: x = ln 3, ln 2, ln 2; mean = (ln 3 + 2 ln 2)/3;
        // population sd = (ln 3 − ln 2)·√2/3; ann's z = (2/3)/(√2/3) = √2,
        // the others −1/√2.
        assert!((z[[0, 1]] - 2f64.sqrt()).abs() < 1e-12);
        assert!((z[[1, 1]] + 0.5f64.sqrt()).abs() < 1e-12);
        for column in z.columns() {
            assert!(column.sum().abs() < 1e-12);
            assert!((column.iter().map(|v| v * v).sum::<f64>() / 3.0 - 1.0).abs() < 1e-12);
        }
        // One customer: sd 0, every z is 0.
        let one = Rfm::from_orders(&orders("sku,date,user\na,2024-01-01,u\n"), None).unwrap();
        assert_eq!(one.features(), Array2::<f64>::zeros((1, 3)));
    }

    #[test]
    fn no_customers_or_only_returns_are_clear_errors() {
        let anonymous = orders("sku,date,qty\na,2024-01-01,1\n");
        let e = Rfm::from_orders(&anonymous, None).unwrap_err().to_string();
        assert!(e.starts_with("orders: no line names a customer"), "{e}");
        // A sale by an anonymous buyer, only returns by the named one.
        let returns = orders("sku,date,qty,user\na,2024-01-01,1,\na,2024-01-02,-1,u\n");
        let e = Rfm::from_orders(&returns, None).unwrap_err().to_string();
        assert_eq!(e, "orders: no customer has a sale before the as-of day (1 customers with only returns, 0 lines on or after it); segments need customers who bought");
    }
}
