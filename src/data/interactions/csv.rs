//! The CSV reader: columns found by header name, one row at a time.

use super::{check_size, check_weight, parse_timestamp, InteractionConfig, Interactions};
use crate::data::catalogue::Catalogue;
use crate::error::{shorten, Error, Result};

impl Interactions {
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
            // Fields are trimmed here, not by the reader, so the rows whose
            // ids had spaces around them can be counted.
            .trim(csv::Trim::Headers)
            .from_reader(text);
        let header = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
        if header.iter().all(str::is_empty) {
            return Err(Error::Empty("interactions: the CSV is empty; it needs a header row such as user,item,weight,timestamp".into()));
        }
        let columns = Columns::find(&header)?;
        let mut out = Interactions::new(catalogue.len());
        let mut record = csv::StringRecord::new();
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(&e, 0))?
        {
            let (line, start) = record
                .position()
                .map_or((0, 0), |p| (p.line(), p.byte() as usize));
            // An opening quote that is never closed swallows the rest of the
            // file into one last record, which the reader does not report.
            let last = reader.position().byte() as usize >= text.len();
            if last && start < text.len() && ends_inside_quotes(&text[start..]) {
                return Err(Error::Csv {
                    source_name: "interactions".into(),
                    line,
                    message: "a quoted field opened on this line is never closed (a \" without its closing \"), so the rest of the file would be one field".into(),
                });
            }
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
        let raw = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let field = |c: Option<usize>| raw(c).trim();
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
        self.count_trimmed(
            user.len() != raw(Some(columns.user)).len(),
            item.len() != raw(Some(columns.item)).len(),
        );
        let Some(index) = catalogue.index_of(item) else {
            self.skip_unknown(item);
            return Ok(());
        };
        let weight = match field(columns.weight) {
            "" => 1.0,
            w => parse_weight(w).map_err(bad)?,
        };
        let factor = match field(columns.event) {
            "" => 1.0,
            event => config
                .event_weight(event, "event")
                .map_err(|err| bad(err.to_string()))?,
        };
        let weight = check_weight(weight * factor as f64).map_err(bad)?;
        let timestamp = match field(columns.timestamp) {
            "" => None,
            t => Some(parse_timestamp(t).map_err(bad)?),
        };
        self.push(user, index, weight, timestamp)
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

/// A weight as written: a finite number (checked in f64, so `1e300` is
/// reported as too large rather than as "not finite").
fn parse_weight(text: &str) -> std::result::Result<f64, String> {
    match text.parse::<f64>() {
        Ok(w) if w.is_finite() => Ok(w),
        _ => Err(format!(
            "weight {:?} is not a finite number",
            shorten(text, 40)
        )),
    }
}

/// True when `raw` (a record and everything after it) ends inside a quoted
/// field, by the reader's rules: a quote opens a field only at its start,
/// and `""` inside a quoted field is an escaped quote.
fn ends_inside_quotes(raw: &[u8]) -> bool {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let mut state = State::FieldStart;
    for &b in raw {
        let separator = matches!(b, b',' | b'\n' | b'\r');
        state = match state {
            State::Quoted if b == b'"' => State::AfterQuote,
            State::Quoted => State::Quoted,
            State::FieldStart | State::AfterQuote if b == b'"' => State::Quoted,
            _ if separator => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    state == State::Quoted
}
