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
//! Aggregation sums the weights of each (user, item) pair and then applies
//! the [`WeightTransform`] (default `log1p`, because real counts are heavy
//! tailed: one shop's quantities reach thousands).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::data::catalogue::Catalogue;
use crate::error::{describe, shorten, Error, Result};
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
        if item as usize >= self.n_items {
            return Err(Error::value(
                "item",
                format!(
                    "index {item} is outside the catalogue of {} items",
                    self.n_items
                ),
            ));
        }
        check_weight(weight).map_err(|m| Error::value("weight", m))?;
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

    fn skip_unknown(&mut self, item: &str) {
        self.skipped_unknown += 1;
        if self.unknown_examples.len() < 3 {
            self.unknown_examples.push(item.to_string());
        }
    }

    /// Reads CSV text with a header row (see the module docs for columns).
    ///
    /// # Errors
    /// [`Error::Csv`] with the line number for a missing column, a
    /// malformed value or invalid UTF-8; [`Error::Empty`] for no header.
    pub fn from_csv(
        text: impl AsRef<[u8]>,
        catalogue: &Catalogue,
        config: &InteractionConfig,
    ) -> Result<Interactions> {
        config.validate()?;
        let text = text.as_ref();
        check_size(text.len())?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text);
        let header = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
        if header.iter().all(str::is_empty) {
            return Err(Error::Empty("interactions: the CSV is empty; it needs a header row such as user,item,weight,timestamp".into()));
        }
        let columns = Columns::find(&header)?;
        let mut out = Interactions::new(catalogue.len());
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(&e, 0))?;
            let line = record.position().map_or(0, |p| p.line());
            out.read_csv_row(&record, &columns, line, catalogue, config)?;
        }
        Ok(out)
    }

    fn read_csv_row(
        &mut self,
        record: &csv::StringRecord,
        columns: &Columns,
        line: u64,
        catalogue: &Catalogue,
        config: &InteractionConfig,
    ) -> Result<()> {
        let field = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let bad = |message: String| Error::Csv {
            source_name: "interactions".into(),
            line,
            message,
        };
        let (user, item) = (field(Some(columns.user)), field(Some(columns.item)));
        if user.is_empty() || item.is_empty() {
            self.skipped_no_user += 1;
            return Ok(());
        }
        let Some(index) = catalogue.index_of(item) else {
            self.skip_unknown(item);
            return Ok(());
        };
        let mut weight = match field(columns.weight) {
            "" => 1.0,
            w => parse_weight(w).map_err(bad)?,
        };
        let event = field(columns.event);
        if !event.is_empty() {
            weight *= config
                .event_weight(event, "event")
                .map_err(|err| bad(err.to_string()))?;
        }
        check_weight(weight).map_err(bad)?;
        let timestamp = match field(columns.timestamp) {
            "" => None,
            t => Some(parse_timestamp(t).map_err(bad)?),
        };
        self.push(user, index, weight, timestamp)
    }

    /// Reads JSON: `{"interactions": [...]}` or a bare array of objects with
    /// `user`, `item` (string or integer), optional `weight`, `timestamp`
    /// (seconds or an ISO 8601 date) and `event`.
    ///
    /// # Errors
    /// [`Error::Json`] for bad JSON; [`Error::InvalidValue`] with the path
    /// of a malformed row.
    pub fn from_json(
        text: impl AsRef<[u8]>,
        catalogue: &Catalogue,
        config: &InteractionConfig,
    ) -> Result<Interactions> {
        config.validate()?;
        let text = text.as_ref();
        check_size(text.len())?;
        let value: Value =
            serde_json::from_slice(text).map_err(|e| Error::json("interactions", &e))?;
        let (rows, prefix) = match value {
            Value::Array(rows) => (rows, "$"),
            Value::Object(mut map) => match map.remove("interactions") {
                Some(Value::Array(rows)) => (rows, "$.interactions"),
                _ => return Err(Error::value(
                    "$",
                    "expected an array of interactions or an object with an \"interactions\" array",
                )),
            },
            other => {
                return Err(Error::value(
                    "$",
                    format!(
                        "expected an array of interactions, got {}",
                        describe(&other)
                    ),
                ))
            }
        };
        let mut out = Interactions::new(catalogue.len());
        for (i, row) in rows.iter().enumerate() {
            out.read_json_row(row, &format!("{prefix}[{i}]"), catalogue, config)?;
        }
        Ok(out)
    }

    fn read_json_row(
        &mut self,
        row: &Value,
        path: &str,
        catalogue: &Catalogue,
        config: &InteractionConfig,
    ) -> Result<()> {
        let obj = row.as_object().ok_or_else(|| {
            Error::value(
                path,
                format!("expected an interaction object, got {}", describe(row)),
            )
        })?;
        let id = |name: &str| -> Result<Option<String>> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok((!s.is_empty()).then(|| s.clone())),
                Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
                Some(other) => Err(Error::value(
                    format!("{path}.{name}"),
                    format!("expected a string or an integer, got {}", describe(other)),
                )),
            }
        };
        let (Some(user), Some(item)) = (id("user")?, id("item")?) else {
            self.skipped_no_user += 1;
            return Ok(());
        };
        let Some(index) = catalogue.index_of(&item) else {
            self.skip_unknown(&item);
            return Ok(());
        };
        let mut weight = match obj.get("weight") {
            None | Some(Value::Null) => 1.0,
            Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN) as f32,
            Some(other) => {
                return Err(Error::value(
                    format!("{path}.weight"),
                    format!("expected a finite number, got {}", describe(other)),
                ))
            }
        };
        if !weight.is_finite() {
            return Err(Error::value(
                format!("{path}.weight"),
                format!("expected a finite number, got {weight}"),
            ));
        }
        if let Some(Value::String(e)) = obj.get("event") {
            weight *= config.event_weight(e, &format!("{path}.event"))?;
        }
        check_weight(weight).map_err(|m| Error::value(format!("{path}.weight"), m))?;
        let timestamp = match obj.get("timestamp") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(
                parse_timestamp(&n.to_string())
                    .map_err(|m| Error::value(format!("{path}.timestamp"), m))?,
            ),
            Some(Value::String(s)) => {
                Some(parse_timestamp(s).map_err(|m| Error::value(format!("{path}.timestamp"), m))?)
            }
            Some(other) => {
                return Err(Error::value(
                    format!("{path}.timestamp"),
                    format!(
                        "expected seconds or an ISO 8601 date, got {}",
                        describe(other)
                    ),
                ))
            }
        };
        self.push(&user, index, weight, timestamp)
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

    /// Dense index of an external user id.
    pub fn user_index(&self, id: &str) -> Option<u32> {
        self.user_index.get(id).copied()
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
        // Sums stay finite: each row is at most MAX_WEIGHT (checked on entry).
        let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); self.users.len()];
        let mut last_seen: Vec<Option<i64>> = Vec::new();
        for &r in &order {
            let (u, i) = (self.user[r] as usize, self.item[r]);
            match rows[u].last_mut() {
                Some(last) if last.0 == i => {
                    last.1 += self.weight[r];
                    let seen = last_seen.last_mut().expect("one timestamp per entry");
                    *seen = (*seen).max(self.timestamp[r]);
                }
                _ => {
                    rows[u].push((i, self.weight[r]));
                    last_seen.push(self.timestamp[r]);
                }
            }
        }
        for row in &mut rows {
            row.iter_mut().for_each(|e| e.1 = transform.apply(e.1));
        }
        UserItems {
            matrix: Csr::from_rows(self.n_items, rows),
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
        source_name: "interactions".into(),
        line,
        message,
    }
}

/// Positions of the recognised columns in a CSV header.
struct Columns {
    user: usize,
    item: usize,
    weight: Option<usize>,
    timestamp: Option<usize>,
    event: Option<usize>,
}

impl Columns {
    const USER: &'static [&'static str] = &[
        "user",
        "user_id",
        "userid",
        "customer",
        "customerid",
        "customer_id",
        "visitor",
        "session",
    ];
    const ITEM: &'static [&'static str] = &[
        "item",
        "item_id",
        "itemid",
        "product",
        "productid",
        "product_id",
        "movieid",
        "stockcode",
        "sku",
    ];
    const WEIGHT: &'static [&'static str] =
        &["weight", "rating", "quantity", "qty", "count", "value"];
    const TIMESTAMP: &'static [&'static str] =
        &["timestamp", "time", "ts", "date", "datetime", "invoicedate"];
    const EVENT: &'static [&'static str] = &["event", "event_type", "eventtype", "type", "action"];

    fn find(header: &csv::StringRecord) -> Result<Columns> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let find = |accepted: &[&str]| names.iter().position(|n| accepted.contains(&n.as_str()));
        let require = |accepted: &[&str], what: &str| {
            find(accepted).ok_or_else(|| Error::Csv {
                source_name: "interactions".into(),
                line: 1,
                message: format!(
                    "no {what} column in the header {:?}; accepted names: {accepted:?}",
                    header.iter().collect::<Vec<_>>()
                ),
            })
        };
        Ok(Columns {
            user: require(Self::USER, "user")?,
            item: require(Self::ITEM, "item")?,
            weight: find(Self::WEIGHT),
            timestamp: find(Self::TIMESTAMP),
            event: find(Self::EVENT),
        })
    }
}

/// A weight must be finite and at most [`limits::MAX_WEIGHT`].
fn check_weight(w: f32) -> std::result::Result<(), String> {
    if !w.is_finite() || w > limits::MAX_WEIGHT {
        return Err(format!(
            "weight {w} (after its event multiplier) must be a finite number ≤ {:e}",
            limits::MAX_WEIGHT
        ));
    }
    Ok(())
}

/// A timestamp must fall in years 1–9999.
fn check_timestamp(t: i64) -> std::result::Result<i64, String> {
    if (limits::MIN_TIMESTAMP..=limits::MAX_TIMESTAMP).contains(&t) {
        Ok(t)
    } else {
        Err(format!(
            "timestamp {t} is outside years 1–9999 (seconds {} to {})",
            limits::MIN_TIMESTAMP,
            limits::MAX_TIMESTAMP
        ))
    }
}

fn parse_weight(text: &str) -> std::result::Result<f32, String> {
    match text.parse::<f32>() {
        Ok(w) if w.is_finite() => Ok(w),
        _ => Err(format!(
            "weight {:?} is not a finite number",
            shorten(text, 40)
        )),
    }
}

/// Parses seconds since 1970 (an integer or decimal), or an ISO 8601 date
/// or date-time in UTC: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]][Z]`, with
/// `T` or a space between date and time. Years 1–9999 only.
pub fn parse_timestamp(text: &str) -> std::result::Result<i64, String> {
    let bad = || {
        format!("timestamp {:?} is neither seconds since 1970 nor an ISO 8601 date (YYYY-MM-DD[ HH:MM:SS]) in years 1–9999", shorten(text, 40))
    };
    if let Ok(secs) = text.parse::<i64>() {
        return check_timestamp(secs);
    }
    if let Ok(secs) = text.parse::<f64>() {
        let in_range = secs.is_finite()
            && secs >= limits::MIN_TIMESTAMP as f64
            && secs <= limits::MAX_TIMESTAMP as f64;
        return if in_range {
            Ok(secs as i64)
        } else {
            Err(bad())
        };
    }
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (date, time) = match text.find(['T', ' ']) {
        Some(p) => (&text[..p], Some(&text[p + 1..])),
        None => (text, None),
    };
    let num = |s: &str| s.parse::<i64>().map_err(|_| bad());
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d)
    {
        return Err(bad());
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(time) = time {
        let time = time.split('.').next().unwrap_or("");
        let hms: Vec<&str> = time.split(':').collect();
        if !(2..=3).contains(&hms.len()) {
            return Err(bad());
        }
        let (h, mi) = (num(hms[0])?, num(hms[1])?);
        let s = if hms.len() == 3 { num(hms[2])? } else { 0 };
        if h > 23 || mi > 59 || s > 60 {
            return Err(bad());
        }
        secs += h * 3600 + mi * 60 + s;
    }
    Ok(secs)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil` formula).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::CatalogueConfig;

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
}
