//! From order lines to per-product sales series: net units per week or
//! month, zeros filled, plus each product's totals.
//!
//! * `week` periods are ISO weeks, Monday to Sunday; `month` periods are
//!   calendar months.
//! * Every series spans the same range: from the period holding the first
//!   line used to the period holding the last day of data (`last_day`).
//! * **A partial last period is dropped.** When the data stop before the
//!   last period ends (the online-retail log stops on Friday 2011-12-09,
//!   nine days into December), that period's total is a fraction of a
//!   normal one and would pull every forecast down. Scaling it up by the
//!   share of days covered was the other choice; it is noisier (a week's
//!   sales are not spread evenly over its days) and an owner reads a
//!   dropped week more easily than an invented one. The partial period is
//!   kept only when it is the only one. The first period may be partial
//!   too; it is kept (it is one value among many, and cutting it would
//!   lose a product's first sales).
//! * A period's value is its **net** units: sales minus returns and
//!   cancellations in that period. Totals (revenue, units, returned units)
//!   cover every line used, the dropped period's included.

use crate::calendar::{civil_from_days, days_from_civil};
use crate::error::{Error, Result};

use super::orders::Orders;

/// The length of one period of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// ISO weeks, starting on Monday. The default.
    #[default]
    Week,
    /// Calendar months.
    Month,
}

impl Period {
    /// The name used in options and output: `week` or `month`.
    pub fn name(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// Parses `week` or `month`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the accepted values.
    pub fn parse(name: &str) -> Result<Period> {
        match name {
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            other => Err(Error::config(
                "period",
                format!("must be week or month, got {other:?}"),
            )),
        }
    }

    /// Days in a period, for days of cover: 7, or 30.44 (the mean month,
    /// 365.25 / 12 rounded to two places).
    pub fn days(self) -> f64 {
        match self {
            Period::Week => 7.0,
            Period::Month => 30.44,
        }
    }

    /// The seasonal cycle in periods: 52 weeks or 12 months a year.
    pub fn season(self) -> usize {
        match self {
            Period::Week => 52,
            Period::Month => 12,
        }
    }

    /// The period number of a day (days since 1970-01-01): weeks since the
    /// Monday 1969-12-29, or months since January of year 0.
    pub fn of_day(self, day: i64) -> i64 {
        match self {
            // 1970-01-01 was a Thursday, three days after a Monday.
            Period::Week => (day + 3).div_euclid(7),
            Period::Month => {
                let (y, m, _) = civil_from_days(day);
                y * 12 + m - 1
            }
        }
    }

    /// The first day of a period number (the inverse of [`Period::of_day`]).
    pub fn start_day(self, period: i64) -> i64 {
        match self {
            Period::Week => period * 7 - 3,
            Period::Month => days_from_civil(period.div_euclid(12), period.rem_euclid(12) + 1, 1),
        }
    }
}

/// Per-product series and totals over one range of periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Sales {
    /// The period length.
    pub period: Period,
    /// The first period's number (see [`Period::of_day`]).
    pub first: i64,
    /// Periods in each series.
    pub periods: usize,
    /// The last day of data used (days since 1970-01-01).
    pub last_day: i64,
    /// Per product (in [`Orders::products`] order): net units per period,
    /// oldest first.
    pub units: Vec<Vec<f64>>,
    /// Per product: the first period (index into its series) with any line,
    /// `None` for a product without lines.
    pub active_from: Vec<Option<usize>>,
    /// Per product: net revenue (sales − returns) over the lines used.
    pub revenue: Vec<f64>,
    /// Per product: net units over the lines used.
    pub net_units: Vec<f64>,
    /// Per product: units returned or cancelled.
    pub returned_units: Vec<f64>,
    /// Whether any line used had a price.
    pub priced: bool,
}

impl Sales {
    /// Buckets the lines dated before `before` (a day; every line when
    /// `None`) into series.
    ///
    /// # Errors
    /// [`Error::Empty`] when no line is dated before `before`.
    pub fn from_orders(orders: &Orders, period: Period, before: Option<i64>) -> Result<Sales> {
        let used = |day: i64| before.is_none_or(|b| day < b);
        let days = orders.lines.iter().map(|l| l.day).filter(|d| used(*d));
        let (Some(first_day), Some(last_day)) = (days.clone().min(), days.max()) else {
            return Err(Error::Empty(format!(
                "orders: no lines before {}; the log's first line is dated {}",
                date(before.unwrap_or(0)),
                date(orders.lines.iter().map(|l| l.day).min().unwrap_or(0))
            )));
        };
        // With --as-of the data run to the day before the cut-off, even if
        // nothing sold on that day.
        let last_day = before.map_or(last_day, |b| b - 1);
        let first = period.of_day(first_day);
        let last_full = period.of_day(last_day + 1) - 1;
        let last = if last_full >= first {
            last_full
        } else {
            period.of_day(last_day)
        };
        let periods = (last - first + 1) as usize;
        let n = orders.products.len();
        let mut sales = Sales {
            period,
            first,
            periods,
            last_day,
            units: vec![vec![0.0; periods]; n],
            active_from: vec![None; n],
            revenue: vec![0.0; n],
            net_units: vec![0.0; n],
            returned_units: vec![0.0; n],
            priced: false,
        };
        for line in orders.lines.iter().filter(|l| used(l.day)) {
            let p = line.product as usize;
            let t = (period.of_day(line.day) - first) as usize;
            if t < periods {
                sales.units[p][t] += line.quantity;
            }
            let from = sales.active_from[p].get_or_insert(t.min(periods - 1));
            *from = (*from).min(t.min(periods - 1));
            sales.revenue[p] += line.revenue();
            sales.net_units[p] += line.quantity;
            if line.is_return() {
                sales.returned_units[p] -= line.quantity;
            }
            sales.priced |= line.unit_price.is_some();
        }
        Ok(sales)
    }

    /// The first period's start as `YYYY-MM-DD`.
    pub fn first_date(&self) -> String {
        date(self.period.start_day(self.first))
    }
}

/// A day (since 1970-01-01) as `YYYY-MM-DD`.
pub fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses a `YYYY-MM-DD` date into days since 1970-01-01.
///
/// # Errors
/// [`Error::InvalidConfig`] for `field` when the text is not such a date.
pub fn parse_date(text: &str, field: &str) -> Result<i64> {
    let bad = || {
        Error::config(
            field,
            format!(
                "must be a date YYYY-MM-DD, got {:?}",
                crate::error::shorten(text, 40)
            ),
        )
    };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    let num = |s: &str, len: usize| -> Option<i64> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || d < 1 || d > crate::calendar::days_in_month(y, m) {
        return Err(bad());
    }
    Ok(days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::orders::OrdersOptions;

    fn orders(text: &str) -> Orders {
        Orders::from_csv(text, None, &OrdersOptions::default()).unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        let monday = parse_date("2011-12-05", "d").unwrap();
        for offset in 0..7 {
            assert_eq!(
                Period::Week.of_day(monday + offset),
                Period::Week.of_day(monday)
            );
        }
        assert_eq!(
            Period::Week.of_day(monday - 1) + 1,
            Period::Week.of_day(monday)
        );
        assert_eq!(
            date(Period::Week.start_day(Period::Week.of_day(monday + 3))),
            "2011-12-05"
        );
        let p = Period::Month.of_day(parse_date("2011-02-28", "d").unwrap());
        assert_eq!(date(Period::Month.start_day(p)), "2011-02-01");
        assert_eq!(date(Period::Month.start_day(p + 11)), "2012-01-01");
    }

    #[test]
    fn series_are_net_zero_filled_and_drop_a_partial_last_week() {
        // Mon 2024-01-01 .. Wed 2024-01-24: weeks of 01-01, 01-08, 01-15
        // are full; the week of 01-22 has three days and is dropped.
        let o = orders(
            "invoice,sku,qty,date,price\n1,a,5,2024-01-01,2\n2,b,1,2024-01-02,10\nC3,a,2,2024-01-03,2\n4,a,4,2024-01-15,2\n5,a,9,2024-01-24,2\n",
        );
        let s = Sales::from_orders(&o, Period::Week, None).unwrap();
        assert_eq!(s.periods, 3);
        assert_eq!(s.first_date(), "2024-01-01");
        assert_eq!(s.units[0], [3.0, 0.0, 4.0]);
        assert_eq!(s.units[1], [1.0, 0.0, 0.0]);
        // Totals keep the dropped week: 5 − 2 + 4 + 9 units, ×2 each.
        assert_eq!(s.net_units[0], 16.0);
        assert_eq!(s.revenue[0], 32.0);
        assert_eq!(s.returned_units[0], 2.0);
        assert_eq!(date(s.last_day), "2024-01-24");
        // Cut off on Monday 01-15: two full weeks, nothing dropped.
        let cut = parse_date("2024-01-15", "asOf").unwrap();
        let s = Sales::from_orders(&o, Period::Week, Some(cut)).unwrap();
        assert_eq!(s.periods, 2);
        assert_eq!(s.units[0], [3.0, 0.0]);
        assert_eq!(date(s.last_day), "2024-01-14");
        let none = Sales::from_orders(&o, Period::Week, Some(cut - 30)).unwrap_err();
        assert!(
            none.to_string().contains("no lines before 2023-12-16"),
            "{none}"
        );
    }

    #[test]
    fn a_single_partial_month_is_kept() {
        let o = orders("sku,date\na,2024-03-02\na,2024-03-09\n");
        let s = Sales::from_orders(&o, Period::Month, None).unwrap();
        assert_eq!((s.periods, s.units[0].clone()), (1, vec![2.0]));
        assert!(!s.priced);
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("1970-01-02", "asOf").unwrap(), 1);
        for bad in ["2011-13-01", "2011-02-30", "11-02-03", "yesterday", ""] {
            let e = parse_date(bad, "asOf").unwrap_err().to_string();
            assert!(
                e.starts_with("config asOf: must be a date YYYY-MM-DD"),
                "{e}"
            );
        }
    }
}
