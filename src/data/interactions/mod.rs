//! Interaction logs: (user, item, weight, timestamp, event type) rows in,
//! an aggregated sparse user-item matrix out.
//!
//! Sources: CSV with a header row, JSON (`{"interactions": [...]}` or a bare
//! array of objects), or rows pushed one by one. CSV columns are found by
//! name, case-insensitively:
//!
//! | column | accepted header names | required |
//! |---|---|---|
//! | user | `user`, `user_id`, `userId`, `customer`, `customerId`, `visitor`, `session` | yes |
//! | item | `item`, `item_id`, `itemId`, `product`, `productId`, `movieId`, `stockCode`, `sku` | yes |
//! | weight | `weight`, `rating`, `quantity`, `qty`, `count`, `value` | no (1) |
//! | timestamp | `timestamp`, `time`, `ts`, `date`, `datetime`, `invoiceDate` | no |
//! | event type | `event`, `event_type`, `eventType`, `type`, `action` | no |
//!
//! A row's weight is `weight × eventWeights[event]`. Rows naming an item the
//! catalogue lacks, rows without a user, and rows of weight ≤ 0 (returns,
//! cancellations) are skipped and counted in [`Interactions::warnings`];
//! malformed values (a weight that is not a finite number, an unknown event
//! type, a bad timestamp) are errors with their line number.
//!
//! **Ids.** User and item ids are trimmed of surrounding white space, in
//! every reader (CSV, JSON, [`Interactions::push`], and the catalogue and
//! history readers too), so `" a "` and `"a"` are the same item everywhere;
//! rows whose ids had such spaces are counted in [`Interactions::warnings`].
//! An unterminated quoted CSV field is an error with its line, not a
//! skipped row.
//!
//! Aggregation sums the weights of each (user, item) pair and then applies
//! the [`WeightTransform`] (default `log1p`, because real counts are heavy
//! tailed: one shop's quantities reach thousands).

mod csv;
mod json;
mod time;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{shorten, Error, Result};
use crate::limits;
use crate::sparse::Csr;

/// How the summed weight `x` of a (user, item) pair becomes a matrix entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum WeightTransform {
    /// `1` for any interaction.
    Binary,
    /// `ln(1 + x)` (default): robust to heavy tails.
    #[default]
    Log1p,
    /// `√x`.
    Sqrt,
    /// `x` unchanged.
    Raw,
}

impl WeightTransform {
    /// Applies the transform to a summed weight.
    pub fn apply(self, x: f32) -> f32 {
        self.apply_f64(x as f64) as f32
    }

    /// Applies the transform in double precision.
    pub fn apply_f64(self, x: f64) -> f64 {
        match self {
            WeightTransform::Binary => 1.0,
            WeightTransform::Log1p => x.ln_1p(),
            WeightTransform::Sqrt => x.sqrt(),
            WeightTransform::Raw => x,
        }
    }
}

/// How interactions are read and weighted.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct InteractionConfig {
    /// Weight multiplier per event type. Default: `view` 1, `click` 1,
    /// `wishlist` 2, `cart` 3, `purchase` 5, `order` 5. Values must be > 0.
    pub event_weights: FxHashMap<String, f32>,
    /// Transform of the summed weight of a (user, item) pair. Default `log1p`.
    pub transform: WeightTransform,
}

impl Default for InteractionConfig {
    fn default() -> Self {
        let event_weights = [
            ("view", 1.0),
            ("click", 1.0),
            ("wishlist", 2.0),
            ("cart", 3.0),
            ("purchase", 5.0),
            ("order", 5.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        InteractionConfig {
            event_weights,
            transform: WeightTransform::Log1p,
        }
    }
}

impl InteractionConfig {
    /// Checks that every event weight is a finite number > 0.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the event type.
    pub fn validate(&self) -> Result<()> {
        for event in self.event_types() {
            let w = self.event_weights[event];
            if !(w.is_finite() && w > 0.0) {
                return Err(Error::config(
                    format!("interactions.eventWeights.{event}"),
                    format!("must be a finite number > 0, got {w}"),
                ));
            }
        }
        Ok(())
    }

    /// The configured event types, sorted (so messages are deterministic).
    pub fn event_types(&self) -> Vec<&String> {
        let mut types: Vec<&String> = self.event_weights.keys().collect();
        types.sort_unstable();
        types
    }

    /// The multiplier of an event type.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] at `path` for a type not in `eventWeights`.
    pub fn event_weight(&self, event: &str, path: &str) -> Result<f32> {
        self.event_weights.get(event).copied().ok_or_else(|| {
            Error::value(
                path,
                format!(
                    "unknown event type {:?}; accepted: {:?}",
                    shorten(event, 40),
                    self.event_types()
                ),
            )
        })
    }
}

/// The interaction log, by column, with users mapped to dense indices and
/// items to catalogue indices.
#[derive(Debug, Clone, Default)]
pub struct Interactions {
    users: Vec<String>,
    user_index: FxHashMap<String, u32>,
    user: Vec<u32>,
    item: Vec<u32>,
    weight: Vec<f32>,
    timestamp: Vec<Option<i64>>,
    n_items: usize,
    skipped_unknown: usize,
    unknown_examples: Vec<String>,
    skipped_no_user: usize,
    skipped_non_positive: usize,
    trimmed_ids: usize,
}

/// Users × items matrix of transformed weights, with each entry's latest timestamp.
#[derive(Debug, Clone)]
pub struct UserItems {
    /// Users × items, entries `transform(Σ weights)`.
    pub matrix: Csr,
    /// Latest timestamp of each stored entry, in the matrix's entry order.
    pub last_seen: Vec<Option<i64>>,
}

impl UserItems {
    /// A user's items as `(item, weight, last timestamp)`, by item index.
    pub fn history(&self, user: usize) -> impl Iterator<Item = (u32, f32, Option<i64>)> + '_ {
        let (items, weights) = self.matrix.row(user);
        let seen = &self.last_seen[self.matrix.row_range(user)];
        items
            .iter()
            .zip(weights)
            .zip(seen)
            .map(|((&i, &w), &t)| (i, w, t))
    }
}

impl Interactions {
    /// An empty log for a catalogue of `n_items` items.
    pub fn new(n_items: usize) -> Interactions {
        Interactions {
            n_items,
            ..Default::default()
        }
    }

    /// Adds one row. Rows with weight ≤ 0 are skipped and counted.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an item index outside the catalogue, a
    /// weight that is not finite or above [`limits::MAX_WEIGHT`], or a
    /// timestamp outside years 1–9999; [`Error::LimitExceeded`] past
    /// [`limits::MAX_INTERACTIONS`] rows.
    pub fn push(
        &mut self,
        user: &str,
        item: u32,
        weight: f32,
        timestamp: Option<i64>,
    ) -> Result<()> {
        let user = user.trim();
        if item as usize >= self.n_items {
            return Err(Error::value(
                "item",
                format!(
                    "index {item} is outside the catalogue of {} items",
                    self.n_items
                ),
            ));
        }
        check_weight(weight as f64).map_err(|m| Error::value("weight", m))?;
        if let Some(t) = timestamp {
            check_timestamp(t).map_err(|m| Error::value("timestamp", m))?;
        }
        if weight <= 0.0 {
            self.skipped_non_positive += 1;
            return Ok(());
        }
        if self.user.len() >= limits::MAX_INTERACTIONS {
            return Err(Error::LimitExceeded(format!(
                "interactions: more than the limit of {} rows",
                limits::MAX_INTERACTIONS
            )));
        }
        let u = match self.user_index.get(user) {
            Some(&u) => u,
            None => {
                let u = self.users.len() as u32;
                self.users.push(user.to_string());
                self.user_index.insert(user.to_string(), u);
                u
            }
        };
        self.user.push(u);
        self.item.push(item);
        self.weight.push(weight);
        self.timestamp.push(timestamp);
        Ok(())
    }

    /// Counts a row whose user or item id had spaces around it.
    fn count_trimmed(&mut self, user: bool, item: bool) {
        if user || item {
            self.trimmed_ids += 1;
        }
    }

    fn skip_unknown(&mut self, item: &str) {
        self.skipped_unknown += 1;
        if self.unknown_examples.len() < 3 {
            self.unknown_examples.push(item.to_string());
        }
    }

    /// Number of rows kept.
    pub fn len(&self) -> usize {
        self.user.len()
    }

    /// True when no row was kept.
    pub fn is_empty(&self) -> bool {
        self.user.is_empty()
    }

    /// Number of distinct users.
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// External id of a user.
    pub fn user_id(&self, user: u32) -> &str {
        &self.users[user as usize]
    }

    /// Dense index of an external user id (trimmed first, as ids are on reading).
    pub fn user_index(&self, id: &str) -> Option<u32> {
        self.user_index.get(id.trim()).copied()
    }

    /// True when every row has a timestamp (and there is at least one
    /// row): the rows can then be ordered in time, as a temporal split needs.
    pub fn has_timestamps(&self) -> bool {
        !self.timestamp.is_empty() && self.timestamp.iter().all(Option::is_some)
    }

    /// Number of rows that have a timestamp.
    pub fn timestamped_rows(&self) -> usize {
        self.timestamp.iter().filter(|t| t.is_some()).count()
    }

    /// Number of catalogue items the log refers to.
    pub fn item_count(&self) -> usize {
        self.n_items
    }

    /// Row `r` as `(user, item, weight, timestamp)`.
    pub fn row(&self, r: usize) -> (u32, u32, f32, Option<i64>) {
        (
            self.user[r],
            self.item[r],
            self.weight[r],
            self.timestamp[r],
        )
    }

    /// Human-readable notes on skipped rows (empty when none were skipped).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.skipped_unknown > 0 {
            out.push(format!(
                "{} interactions name items not in the catalogue and were skipped (e.g. {:?})",
                self.skipped_unknown, self.unknown_examples
            ));
        }
        if self.skipped_no_user > 0 {
            out.push(format!(
                "{} interactions without a user or item were skipped",
                self.skipped_no_user
            ));
        }
        if self.trimmed_ids > 0 {
            out.push(format!(
                "{} interactions had user or item ids with spaces around them; the spaces were removed, as they are from catalogue ids",
                self.trimmed_ids
            ));
        }
        if self.skipped_non_positive > 0 {
            out.push(format!(
                "{} interactions with weight ≤ 0 were skipped",
                self.skipped_non_positive
            ));
        }
        out
    }

    /// A log with the same users and items holding only rows `rows`.
    pub fn select(&self, rows: &[usize]) -> Interactions {
        Interactions {
            users: self.users.clone(),
            user_index: self.user_index.clone(),
            user: rows.iter().map(|&r| self.user[r]).collect(),
            item: rows.iter().map(|&r| self.item[r]).collect(),
            weight: rows.iter().map(|&r| self.weight[r]).collect(),
            timestamp: rows.iter().map(|&r| self.timestamp[r]).collect(),
            n_items: self.n_items,
            ..Default::default()
        }
    }

    /// Sums each (user, item) pair's weights, applies `transform`, and keeps
    /// the latest timestamp of each pair.
    pub fn aggregate(&self, transform: WeightTransform) -> UserItems {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_unstable_by_key(|&r| (self.user[r], self.item[r]));
        // The sorted rows are the matrix in row-major order, so its arrays
        // are filled directly: one vector per user cost thousands of small
        // allocations per fit, slow on a heap fragmented by the catalogue.
        let mut counts = vec![0usize; self.users.len() + 1];
        let mut items: Vec<u32> = Vec::with_capacity(order.len());
        let mut sums: Vec<f32> = Vec::with_capacity(order.len());
        let mut last_seen: Vec<Option<i64>> = Vec::with_capacity(order.len());
        let mut previous = None;
        for &r in &order {
            let key = (self.user[r], self.item[r]);
            if previous == Some(key) {
                // Sums stay finite: each row is at most MAX_WEIGHT (checked on entry).
                *sums.last_mut().expect("an entry per key") += self.weight[r];
                let seen = last_seen.last_mut().expect("one timestamp per entry");
                *seen = (*seen).max(self.timestamp[r]);
            } else {
                items.push(key.1);
                sums.push(self.weight[r]);
                last_seen.push(self.timestamp[r]);
                counts[key.0 as usize + 1] += 1;
                previous = Some(key);
            }
        }
        sums.iter_mut().for_each(|w| *w = transform.apply(*w));
        UserItems {
            matrix: Csr::from_counts(self.n_items, counts, items, sums),
            last_seen,
        }
    }
}

fn check_size(len: usize) -> Result<()> {
    if len > limits::MAX_INPUT_BYTES {
        return Err(Error::LimitExceeded(format!(
            "interactions: {len} bytes is more than the limit of {} bytes",
            limits::MAX_INPUT_BYTES
        )));
    }
    Ok(())
}

/// A weight must be finite and at most [`limits::MAX_WEIGHT`].
/// Takes the weight in f64 (after its event multiplier), so an overflow of
/// `f32` is caught before the conversion.
fn check_weight(w: f64) -> std::result::Result<f32, String> {
    if !w.is_finite() || w > limits::MAX_WEIGHT as f64 || w < f32::MIN as f64 {
        return Err(format!(
            "weight {} (after its event multiplier) must be a finite number ≤ {:e}",
            number_text(w),
            limits::MAX_WEIGHT
        ));
    }
    Ok(w as f32)
}

/// A number as people write it: `1e300` rather than 301 digits.
fn number_text(x: f64) -> String {
    if x != 0.0 && !(1e-5..1e16).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

pub(crate) use time::check_timestamp;
pub use time::parse_timestamp;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::{Catalogue, CatalogueConfig};

    fn catalogue() -> Catalogue {
        Catalogue::from_json(
            r#"[{"id": "a"}, {"id": "b"}, {"id": "c"}]"#,
            &CatalogueConfig::default(),
        )
        .unwrap()
    }

    #[test]
    fn csv_with_aliases_events_and_skips() {
        let csv = "userId,movieId,rating,timestamp,event\nu1,a,2,2011-01-02 03:04:05,cart\nu1,zz,1,,\nu2,b,-3,,\n,c,1,,\nu2,c,,10,\n";
        let log = Interactions::from_csv(csv, &catalogue(), &InteractionConfig::default()).unwrap();
        assert_eq!(log.len(), 2);
        // 2 × cart weight 3 = 6; 2011-01-02T03:04:05Z = 1293937445.
        assert_eq!(log.row(0), (0, 0, 6.0, Some(1_293_937_445)));
        assert_eq!(log.row(1), (1, 2, 1.0, Some(10)));
        let w = log.warnings();
        assert_eq!(w.len(), 3);
        assert!(
            w[0].starts_with("1 interactions name items not in the catalogue"),
            "{w:?}"
        );
    }

    #[test]
    fn csv_errors_give_line_and_accepted_values() {
        let c = catalogue();
        let cfg = InteractionConfig::default();
        let e = Interactions::from_csv("user,item,weight\nu,a,1\nu,b,NaN\n", &c, &cfg).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"interactions line 3: weight "NaN" is not a finite number"#
        );
        let e = Interactions::from_csv("who,what\nu,a\n", &c, &cfg).unwrap_err();
        assert!(e.to_string().starts_with(r#"interactions line 1: no user column in the header ["who", "what"]; accepted names"#), "{e}");
        let e = Interactions::from_csv("user,item,event\nu,a,stare\n", &c, &cfg).unwrap_err();
        assert!(
            e.to_string().contains("line 2")
                && e.to_string()
                    .contains("unknown event type \"stare\"; accepted: [\"cart\""),
            "{e}"
        );
        let e =
            Interactions::from_csv("user,item,timestamp\nu,a,yesterday\n", &c, &cfg).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("interactions line 2: timestamp \"yesterday\""),
            "{e}"
        );
        assert_eq!(
            Interactions::from_csv("", &c, &cfg).unwrap_err().code(),
            "empty_input"
        );
        let e = Interactions::from_csv(b"user,item\nu,\xff\n".as_slice(), &c, &cfg).unwrap_err();
        assert_eq!(
            e.to_string(),
            "interactions line 2: invalid UTF-8 in field 2; the file must be UTF-8 text"
        );
    }

    #[test]
    fn json_rows_and_errors() {
        let c = catalogue();
        let cfg = InteractionConfig::default();
        let log = Interactions::from_json(r#"{"interactions": [{"user": 1, "item": "b", "event": "purchase", "timestamp": "1970-01-02"}]}"#, &c, &cfg).unwrap();
        assert_eq!(log.row(0), (0, 1, 5.0, Some(86_400)));
        let e = Interactions::from_json(r#"[{"user": "u", "item": "a", "weight": "x"}]"#, &c, &cfg)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"$[0].weight: expected a finite number, got string "x""#
        );
    }

    #[test]
    fn aggregate_sums_then_transforms_and_keeps_latest_time() {
        let mut log = Interactions::new(3);
        log.push("u", 1, 1.0, Some(5)).unwrap();
        log.push("u", 1, 2.0, Some(9)).unwrap();
        log.push("u", 0, 1.0, None).unwrap();
        log.push("v", 2, 7.0, Some(1)).unwrap();
        let agg = log.aggregate(WeightTransform::Log1p);
        // u: item 0 → ln 2, item 1 → ln(1 + 3) = ln 4.
        let h: Vec<_> = agg.history(0).collect();
        assert_eq!(h, [(0, 2f32.ln(), None), (1, 4f32.ln(), Some(9))]);
        let h: Vec<_> = agg.history(1).collect();
        assert_eq!(h, [(2, 8f32.ln(), Some(1))]);
        assert_eq!(
            log.aggregate(WeightTransform::Binary).matrix.row(0).1,
            &[1.0, 1.0]
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01"), Ok(0));
        assert_eq!(parse_timestamp("2000-03-01T00:00:00Z"), Ok(951_868_800));
        assert_eq!(parse_timestamp("964982703"), Ok(964_982_703));
        assert!(parse_timestamp("2000-13-01").is_err());
        assert!(parse_timestamp("2021-02-29").is_err());
        assert_eq!(parse_timestamp("2020-02-29"), Ok(1_582_934_400));
        assert!(parse_timestamp("99999-01-01").is_err());
        assert!(parse_timestamp("1e300").is_err());
    }

    #[test]
    fn an_unterminated_quote_is_an_error_with_its_line() {
        let c = catalogue();
        let cfg = InteractionConfig::default();
        let e = Interactions::from_csv("user,item\nu1,a\n\"u2,b\nu3,c\n", &c, &cfg).unwrap_err();
        assert_eq!(e.code(), "invalid_csv");
        assert!(
            e.to_string().starts_with(
                "interactions line 3: a quoted field opened on this line is never closed"
            ),
            "{e}"
        );
        // Closed quotes, escaped quotes and line breaks inside quotes are fine.
        let log =
            Interactions::from_csv("user,item\n\"u \"\"1\"\"\",a\n\"u\n2\",\"b\"\n", &c, &cfg)
                .unwrap();
        assert_eq!(log.user_id(0), "u \"1\"");
        assert_eq!(log.user_id(1), "u\n2");
    }

    #[test]
    fn ids_are_trimmed_in_every_reader_and_counted() {
        let c = catalogue();
        let cfg = InteractionConfig::default();
        let log = Interactions::from_csv("user,item\n u1 , a \nu1,b\n", &c, &cfg).unwrap();
        assert_eq!((log.len(), log.user_count()), (2, 1));
        assert_eq!(log.user_index(" u1"), Some(0));
        assert!(
            log.warnings()[0].starts_with("1 interactions had user or item ids with spaces"),
            "{:?}",
            log.warnings()
        );
        let log = Interactions::from_json(
            r#"[{"user": " u1", "item": "a "}, {"user": "u1", "item": "b"}]"#,
            &c,
            &cfg,
        )
        .unwrap();
        assert_eq!((log.len(), log.user_count(), log.row(0).1), (2, 1, 0));
        assert_eq!(log.warnings().len(), 1);
    }

    #[test]
    fn json_event_must_be_a_string() {
        let e = Interactions::from_json(
            r#"[{"user": "u", "item": "a", "event": 5}]"#,
            &catalogue(),
            &InteractionConfig::default(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "$[0].event: expected an event name (a string), got number 5"
        );
    }

    #[test]
    fn huge_finite_weights_are_reported_as_written() {
        let c = catalogue();
        let cfg = InteractionConfig::default();
        let e =
            Interactions::from_json(r#"[{"user": "u", "item": "a", "weight": 1e300}]"#, &c, &cfg)
                .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("$[0].weight: weight 1e300 is outside the accepted range"),
            "{e}"
        );
        assert!(e.to_string().contains("1e9"), "{e}");
        let e = Interactions::from_csv("user,item,weight\nu,a,1e300\n", &c, &cfg).unwrap_err();
        assert_eq!(e.to_string(), "interactions line 2: weight 1e300 (after its event multiplier) must be a finite number ≤ 1e9");
    }

    #[test]
    fn out_of_range_times_name_the_line_or_path() {
        let c = catalogue();
        let cfg = InteractionConfig::default();
        let e = Interactions::from_csv(
            "user,item,timestamp\nu,a,1\nu,b,9999-12-31 23:59:60\n",
            &c,
            &cfg,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("interactions line 3: timestamp 253402300800 is outside years 1–9999"),
            "{e}"
        );
        let e = Interactions::from_csv("user,item,timestamp\nu,a,2020-01-01 -5:-30\n", &c, &cfg)
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("interactions line 2: timestamp \"2020-01-01 -5:-30\""),
            "{e}"
        );
        let e = Interactions::from_json(
            r#"[{"user": "u", "item": "a", "timestamp": "9999-12-31T23:59:60Z"}]"#,
            &c,
            &cfg,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("$[0].timestamp: timestamp 253402300800 is outside"),
            "{e}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted_in_json() {
        let text = b"\xEF\xBB\xBF[{\"user\": \"u\", \"item\": \"a\"}]";
        let log =
            Interactions::from_json(text.as_slice(), &catalogue(), &InteractionConfig::default())
                .unwrap();
        assert_eq!(log.len(), 1);
    }

    #[test]
    fn has_timestamps_needs_a_time_on_every_row() {
        let mut log = Interactions::new(3);
        assert!(!log.has_timestamps());
        log.push("u", 0, 1.0, Some(1)).unwrap();
        assert!(log.has_timestamps());
        log.push("u", 1, 1.0, None).unwrap();
        assert!(!log.has_timestamps());
        assert_eq!(log.timestamped_rows(), 1);
    }
}
