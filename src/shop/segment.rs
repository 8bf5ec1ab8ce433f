//! Customer segments: RFM features, k-means, and a plain-language summary
//! of each group.
//!
//! [`segment`] runs it all, for the command line (`pocketrec segment`) and
//! the owner's page (`segmentCustomers`) alike:
//!
//! 1. [`Rfm`] values per customer with a sale, and their standardised
//!    `ln(1 + v)` features (see [`super::rfm`]);
//! 2. [`kmeans`] with `k` given, or `k = auto`: every `k` in
//!    [`AUTO_K`] (2..=8, capped by the customers with distinct RFM values
//!    and by `n − 1`) is fitted and the highest [`silhouette`] wins (ties
//!    to the smaller `k`). Eight groups is as many as a shop owner acts
//!    on; the RFM literature mostly reports 3 to 6;
//! 3. **segments ordered by mean monetary value, highest first** (ties to
//!    the segment holding the earlier customer), numbered `0..k` in that
//!    order, so "segment 0" is always the best spenders;
//! 4. per segment: size, share, mean recency (days), frequency (orders)
//!    and monetary value (money); the top 5 categories (from the
//!    catalogue, when given) and the top 5 products by the segment's net
//!    revenue (ties to the earlier product; a product's revenue counts
//!    for each of its categories);
//! 5. a **name** from the segment's mean standardised features, a word
//!    each for a mean at least [`NAME_THRESHOLD`] (0.5 sd) from the
//!    average: recency low → "recent", high → "lapsed"; frequency high →
//!    "loyal", low → "one-off"; monetary high → "big spenders", low →
//!    "small spenders", else "buyers"; "typical buyers" when near the
//!    average on all three ("recent loyal big spenders", "lapsed one-off
//!    small spenders"). A name already taken gets " (2)",
//!    " (3)", … in segment order.

use std::ops::RangeInclusive;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::kmeans::{kmeans, Clustering, KMeansOptions, MAX_K, MAX_RESTARTS};
use super::orders::{Orders, ReadReport};
use super::rfm::Rfm;
use super::silhouette::silhouette;
use crate::error::{Error, Result};

/// The `k` tried by `k = auto`.
pub const AUTO_K: RangeInclusive<usize> = 2..=8;
/// How far (in standard deviations) a segment's mean must be from the
/// average to earn a word in its name.
pub const NAME_THRESHOLD: f64 = 0.5;
/// Categories and products listed per segment.
const TOP: usize = 5;

/// How many segments: a number, or chosen by silhouette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KChoice {
    /// Try [`AUTO_K`]; the highest silhouette wins. The default.
    #[default]
    Auto,
    /// Exactly this many (`1..=100`, at most the customers).
    Fixed(usize),
}

impl std::str::FromStr for KChoice {
    type Err = Error;

    /// `"auto"` or a whole number.
    fn from_str(text: &str) -> Result<KChoice> {
        match text.trim() {
            "auto" => Ok(KChoice::Auto),
            t => t.parse().map(KChoice::Fixed).map_err(|_| {
                Error::config(
                    "k",
                    format!("must be a whole number from 1 to {MAX_K} or \"auto\", got {t:?}"),
                )
            }),
        }
    }
}

impl<'de> Deserialize<'de> for KChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d) {
            Ok(Raw::Number(k)) => Ok(KChoice::Fixed(usize::try_from(k).unwrap_or(usize::MAX))),
            Ok(Raw::Text(t)) => t.parse().map_err(serde::de::Error::custom),
            Err(_) => Err(serde::de::Error::custom(format!(
                "k must be a whole number from 1 to {MAX_K} or \"auto\""
            ))),
        }
    }
}

/// How customers are segmented. Also the JS options object (camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentOptions {
    /// Segments: a number or `"auto"`. Default auto.
    pub k: KChoice,
    /// Seed of k-means (and of the silhouette's sample). Default 42.
    pub seed: u64,
    /// k-means restarts, `1..=1000`. Default 10.
    pub restarts: usize,
    /// A cut-off date (`YYYY-MM-DD`): lines on or after it are left out
    /// and recency counts to it. Default: the day after the log's last day.
    pub as_of: Option<String>,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            k: KChoice::Auto,
            seed: 42,
            restarts: 10,
            as_of: None,
        }
    }
}

impl SegmentOptions {
    /// The as-of day (days since 1970-01-01), checking the other fields.
    fn validate(&self) -> Result<Option<i64>> {
        if let KChoice::Fixed(k) = self.k {
            if !(1..=MAX_K).contains(&k) {
                return Err(Error::config(
                    "k",
                    format!("must be a whole number from 1 to {MAX_K} or \"auto\", got {k}"),
                ));
            }
        }
        if !(1..=MAX_RESTARTS).contains(&self.restarts) {
            return Err(Error::config(
                "restarts",
                format!(
                    "must be between 1 and {MAX_RESTARTS}, got {}",
                    self.restarts
                ),
            ));
        }
        self.as_of
            .as_deref()
            .map(|t| {
                crate::data::interactions::parse_timestamp(t)
                    .map(|s| s.div_euclid(86_400))
                    .map_err(|m| {
                        Error::config("asOf", format!("{m}; give a date such as 2011-12-10"))
                    })
            })
            .transpose()
    }
}

/// The result: the shape `pocketrec segment` writes and `segmentCustomers`
/// returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Segments {
    /// Segments made.
    pub k: usize,
    /// `"k"` when given, `"silhouette"` with auto.
    pub chosen_by: &'static str,
    /// Mean silhouette (sampled past 3 000 customers); `null` for k = 1.
    pub silhouette: Option<f64>,
    /// k-means inertia on the standardised features.
    pub inertia: f64,
    /// The seed used.
    pub seed: u64,
    /// The restarts used.
    pub restarts: usize,
    /// The last day of data used (`YYYY-MM-DD`); recency counts to the day after.
    pub as_of: String,
    /// What reading the log found.
    pub read: ReadReport,
    /// Customers and lines left out or changed.
    pub excluded: Excluded,
    /// With auto: each `k` tried.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// The segments, by mean monetary value, highest first.
    pub segments: Vec<Segment>,
    /// Every customer with a sale, in the log's order.
    pub customers: Vec<Customer>,
}

/// Customers and lines left out or changed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Excluded {
    /// Customers with only returns (no recency), left out.
    pub only_returns: usize,
    /// Customers whose net revenue was negative, counted as 0.
    pub clamped_monetary: usize,
    /// Customer lines on or after the as-of day, left out.
    pub lines_after_as_of: u64,
    /// Anonymous lines (no customer), left out.
    pub anonymous_lines: u64,
}

/// One `k` tried by auto.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Candidate {
    /// Segments.
    pub k: usize,
    /// Its mean silhouette.
    pub silhouette: f64,
    /// Its inertia.
    pub inertia: f64,
}

/// One segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    /// `0..k`, in output order.
    pub id: usize,
    /// A plain-language name, unique in the result.
    pub name: String,
    /// Customers.
    pub size: usize,
    /// `size / customers`.
    pub share: f64,
    /// Mean recency, days.
    pub recency: f64,
    /// Mean frequency, orders.
    pub frequency: f64,
    /// Mean monetary value, money.
    pub monetary: f64,
    /// Top categories by the segment's revenue (empty without categories).
    pub top_categories: Vec<TopCategory>,
    /// Top products by the segment's revenue.
    pub top_products: Vec<TopProduct>,
}

/// A category and the segment's revenue in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopCategory {
    /// The catalogue's category.
    pub name: String,
    /// Net revenue.
    pub revenue: f64,
}

/// A product and the segment's revenue from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopProduct {
    /// The product id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Net revenue.
    pub revenue: f64,
}

/// One customer's segment and RFM values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Customer {
    /// The customer id.
    pub id: String,
    /// The segment's id.
    pub segment: usize,
    /// Days from the last sale to the as-of day.
    pub recency: i64,
    /// Orders with a sale.
    pub frequency: u32,
    /// Net revenue, clamped at 0.
    pub monetary: f64,
}

/// Segments the customers of `orders` (see the module docs).
///
/// # Errors
/// [`Error::InvalidConfig`] for options out of range, or `k` larger than
/// the customers with a sale (or with distinct RFM values); the errors of
/// [`Rfm::from_orders`] (no customers, only returns).
pub fn segment(orders: &Orders, options: &SegmentOptions) -> Result<Segments> {
    let as_of = options.validate()?;
    let rfm = Rfm::from_orders(orders, as_of)?;
    let features = rfm.features();
    let n = rfm.customers.len();
    let distinct = distinct_customers(&rfm);
    let run = |k| {
        let o = KMeansOptions {
            k,
            restarts: options.restarts,
            seed: options.seed,
        };
        kmeans(features.view(), &o)
    };
    let (clustering, candidates, s) = match options.k {
        KChoice::Fixed(k) => {
            check_k(k, n, distinct)?;
            let c = run(k)?;
            let s = silhouette(features.view(), &c.labels, options.seed);
            (c, Vec::new(), s)
        }
        KChoice::Auto => {
            let top = (*AUTO_K.end()).min(distinct).min(n.saturating_sub(1));
            if top < *AUTO_K.start() {
                return Err(Error::config("k", format!("auto needs at least 3 customers with a sale, 2 of them with different RFM values; there are {n} ({distinct} distinct): give k")));
            }
            let mut tried = Vec::new();
            let mut best: Option<(f64, Clustering)> = None;
            for k in *AUTO_K.start()..=top {
                let c = run(k)?;
                let s = silhouette(features.view(), &c.labels, options.seed).unwrap_or(0.0);
                tried.push(Candidate {
                    k,
                    silhouette: s,
                    inertia: c.inertia,
                });
                if best.as_ref().is_none_or(|(b, _)| s > *b) {
                    best = Some((s, c));
                }
            }
            let (s, c) = best.expect("at least one k tried");
            (c, tried, Some(s))
        }
    };
    let (segments, labels) = describe(orders, &rfm, &features, &clustering);
    Ok(Segments {
        k: segments.len(),
        chosen_by: if candidates.is_empty() {
            "k"
        } else {
            "silhouette"
        },
        silhouette: s,
        inertia: clustering.inertia,
        seed: options.seed,
        restarts: options.restarts,
        as_of: date(rfm.as_of - 1),
        read: orders.report.clone(),
        excluded: Excluded {
            only_returns: rfm.without_sale,
            clamped_monetary: rfm.clamped,
            lines_after_as_of: rfm.after_as_of,
            anonymous_lines: orders.report.anonymous,
        },
        candidates,
        segments,
        customers: rfm
            .customers
            .iter()
            .zip(labels)
            .map(|(c, segment)| Customer {
                id: orders.customers[c.customer as usize].clone(),
                segment,
                recency: c.recency,
                frequency: c.frequency,
                monetary: c.monetary,
            })
            .collect(),
    })
}

fn check_k(k: usize, n: usize, distinct: usize) -> Result<()> {
    if k > n {
        return Err(Error::config(
            "k",
            format!("must be at most the number of customers with a sale ({n}), got {k}"),
        ));
    }
    if k > distinct {
        return Err(Error::config(
            "k",
            format!("must be at most the number of customers with different RFM values ({distinct}), got {k}"),
        ));
    }
    Ok(())
}

/// Customers with different (R, F, M).
fn distinct_customers(rfm: &Rfm) -> usize {
    let mut keys: Vec<(i64, u32, u64)> = rfm
        .customers
        .iter()
        .map(|c| (c.recency, c.frequency, c.monetary.to_bits()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// The segments in output order, and each customer's segment id.
fn describe(
    orders: &Orders,
    rfm: &Rfm,
    features: &ndarray::Array2<f64>,
    clustering: &Clustering,
) -> (Vec<Segment>, Vec<usize>) {
    let k = clustering.centroids.nrows();
    let n = rfm.customers.len();
    // Sums per cluster: size, R, F, M, z_R, z_F, z_M; and the first member.
    let mut sums = vec![[0.0; 7]; k];
    let mut first = vec![usize::MAX; k];
    for (i, (c, &l)) in rfm.customers.iter().zip(&clustering.labels).enumerate() {
        let z = features.row(i);
        let s = &mut sums[l];
        let values = [1.0, c.recency as f64, f64::from(c.frequency), c.monetary];
        for (t, v) in s
            .iter_mut()
            .zip(values.into_iter().chain(z.iter().copied()))
        {
            *t += v;
        }
        first[l] = first[l].min(i);
    }
    let mean = |l: usize, j: usize| sums[l][j] / sums[l][0].max(1.0);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        mean(b, 3)
            .total_cmp(&mean(a, 3))
            .then(first[a].cmp(&first[b]))
    });
    let mut id_of = vec![0; k];
    for (id, &l) in order.iter().enumerate() {
        id_of[l] = id;
    }
    let labels: Vec<usize> = clustering.labels.iter().map(|&l| id_of[l]).collect();
    let (categories, products) = revenue_by_segment(orders, rfm, &labels, k);
    let mut taken: FxHashMap<String, usize> = FxHashMap::default();
    let segments = order
        .iter()
        .enumerate()
        .map(|(id, &l)| {
            let base = name([mean(l, 4), mean(l, 5), mean(l, 6)]);
            let count = taken.entry(base.clone()).or_insert(0);
            *count += 1;
            Segment {
                id,
                name: if *count == 1 {
                    base
                } else {
                    format!("{base} ({count})")
                },
                size: sums[l][0] as usize,
                share: sums[l][0] / n as f64,
                recency: mean(l, 1),
                frequency: mean(l, 2),
                monetary: mean(l, 3),
                top_categories: top(&categories[id], |a: &(&str, f64), b| a.0.cmp(b.0))
                    .map(|(name, revenue)| TopCategory {
                        name: name.to_string(),
                        revenue,
                    })
                    .collect(),
                top_products: top(
                    &products[id].iter().copied().enumerate().collect::<Vec<_>>(),
                    |a: &(usize, f64), b| a.0.cmp(&b.0),
                )
                .map(|(p, revenue)| TopProduct {
                    id: orders.products[p].id.clone(),
                    title: orders.products[p].title.clone(),
                    revenue,
                })
                .collect(),
            }
        })
        .collect();
    (segments, labels)
}

/// Net revenue per segment by category and by product, from the lines of
/// the customers segmented (before the as-of day).
type CategoryRevenue<'a> = Vec<Vec<(&'a str, f64)>>;
fn revenue_by_segment<'a>(
    orders: &'a Orders,
    rfm: &Rfm,
    labels: &[usize],
    k: usize,
) -> (CategoryRevenue<'a>, Vec<Vec<f64>>) {
    let mut segment_of = vec![None; orders.customers.len()];
    for (c, &l) in rfm.customers.iter().zip(labels) {
        segment_of[c.customer as usize] = Some(l);
    }
    let mut categories: Vec<FxHashMap<&str, f64>> = vec![FxHashMap::default(); k];
    let mut products = vec![vec![0.0; orders.products.len()]; k];
    for line in &orders.lines {
        let Some(l) = line.customer.and_then(|c| segment_of[c as usize]) else {
            continue;
        };
        if line.day >= rfm.as_of {
            continue;
        }
        let revenue = line.revenue();
        products[l][line.product as usize] += revenue;
        for category in &orders.products[line.product as usize].categories {
            *categories[l].entry(category.as_str()).or_insert(0.0) += revenue;
        }
    }
    let categories = categories
        .into_iter()
        .map(|m| m.into_iter().collect())
        .collect();
    (categories, products)
}

/// The [`TOP`] entries with the most (positive) revenue, ties by `tie`.
fn top<T: Copy>(
    entries: &[(T, f64)],
    tie: impl Fn(&(T, f64), &(T, f64)) -> std::cmp::Ordering,
) -> impl Iterator<Item = (T, f64)> {
    let mut positive: Vec<(T, f64)> = entries.iter().copied().filter(|e| e.1 > 0.0).collect();
    positive.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| tie(a, b)));
    positive.truncate(TOP);
    positive.into_iter()
}

/// A name from mean standardised `[recency, frequency, monetary]`.
pub fn name(z: [f64; 3]) -> String {
    let t = NAME_THRESHOLD;
    let word = |v: f64, low: &'static str, high: &'static str, mid: &'static str| {
        if v <= -t {
            low
        } else if v >= t {
            high
        } else {
            mid
        }
    };
    let name = [
        word(z[0], "recent", "lapsed", ""),
        word(z[1], "one-off", "loyal", ""),
        word(z[2], "small spenders", "big spenders", "buyers"),
    ]
    .into_iter()
    .filter(|w| !w.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    // Near the average on all three: say so, rather than a bare "buyers".
    if name == "buyers" {
        "typical buyers".to_string()
    } else {
        name
    }
}

/// `YYYY-MM-DD` of a day count.
fn date(days: i64) -> String {
    let (y, m, d) = crate::calendar::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::orders::OrdersOptions;

    /// A log of three kinds of customer, three of each, over 2024: loyal
    /// big spenders (20 orders of 100, the last on 12-30), lapsed one-off
    /// small spenders (one order of 5 in January) and middling ones (5
    /// orders of 20, the last in September).
    fn log() -> String {
        let mut text =
            String::from("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
        let mut invoice = 0;
        let mut line = |customer: &str, day: &str, product: &str, price: f64| {
            invoice += 1;
            text.push_str(&format!("{invoice},{product},1,{day},{price},{customer}\n"));
        };
        for c in 0..3 {
            for o in 0..20 {
                line(
                    &format!("big{c}"),
                    &format!("2024-12-{:02}", 30 - o - c),
                    "gold",
                    100.0,
                );
            }
            line(
                &format!("gone{c}"),
                &format!("2024-01-{:02}", 2 + c),
                "pin",
                5.0,
            );
            for o in 0..5 {
                line(
                    &format!("mid{c}"),
                    &format!("2024-0{}-1{c}", 5 + o),
                    "mug",
                    20.0,
                );
            }
        }
        text
    }

    fn run(k: KChoice) -> Segments {
        let orders = Orders::from_csv(log(), None, &OrdersOptions::default()).unwrap();
        segment(
            &orders,
            &SegmentOptions {
                k,
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn auto_finds_the_three_kinds_and_names_them() {
        let s = run(KChoice::Auto);
        assert_eq!((s.k, s.chosen_by), (3, "silhouette"));
        let names: Vec<&str> = s.segments.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "recent loyal big spenders",
                "typical buyers",
                "lapsed one-off small spenders"
            ]
        );
        let big = &s.segments[0];
        assert_eq!((big.size, big.frequency, big.monetary), (3, 20.0, 2000.0));
        assert_eq!(big.top_products[0].id, "gold");
        assert_eq!(big.top_products[0].revenue, 6000.0);
        // Every customer is in the segment of its kind.
        for c in &s.customers {
            let expected = ["big", "mid", "gone"]
                .iter()
                .position(|p| c.id.starts_with(p));
            assert_eq!(Some(c.segment), expected, "{}", c.id);
        }
        assert_eq!(s.candidates.len(), 7);
        assert_eq!(s.as_of, "2024-12-30");
        assert!(s.silhouette.unwrap() > 0.7);
    }

    #[test]
    fn a_given_k_is_used_and_k_of_one_has_no_silhouette() {
        let s = run(KChoice::Fixed(1));
        assert_eq!((s.k, s.chosen_by, s.silhouette), (1, "k", None));
        assert_eq!(s.segments[0].size, 9);
        assert!(s.candidates.is_empty());
    }

    #[test]
    fn names_have_words_only_past_the_threshold_and_stay_unique() {
        assert_eq!(name([-1.0, 1.0, 1.0]), "recent loyal big spenders");
        assert_eq!(name([1.0, -0.6, -0.5]), "lapsed one-off small spenders");
        assert_eq!(name([0.4, 0.0, -0.2]), "typical buyers");
        let s = run(KChoice::Fixed(9));
        let mut names: Vec<&str> = s.segments.iter().map(|g| g.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 9);
    }

    #[test]
    fn bad_options_are_clear_errors() {
        let orders = Orders::from_csv(log(), None, &OrdersOptions::default()).unwrap();
        let with = |o: SegmentOptions| segment(&orders, &o).unwrap_err().to_string();
        let k = |k| SegmentOptions {
            k: KChoice::Fixed(k),
            ..Default::default()
        };
        assert_eq!(
            with(k(0)),
            "config k: must be a whole number from 1 to 100 or \"auto\", got 0"
        );
        assert_eq!(
            with(k(10)),
            "config k: must be at most the number of customers with a sale (9), got 10"
        );
        let bad_date = SegmentOptions {
            as_of: Some("soon".into()),
            ..Default::default()
        };
        assert!(with(bad_date).starts_with("config asOf: timestamp \"soon\""));
        assert_eq!(
            "x".parse::<KChoice>().unwrap_err().to_string(),
            "config k: must be a whole number from 1 to 100 or \"auto\", got \"x\""
        );
        let json: SegmentOptions =
            serde_json::from_str(r#"{"k": 3, "asOf": "2024-06-01"}"#).unwrap();
        assert_eq!(json.k, KChoice::Fixed(3));
        assert!(serde_json::from_str::<SegmentOptions>(r#"{"k": "many"}"#).is_err());
    }
}
