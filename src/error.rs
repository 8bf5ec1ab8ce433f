//! The one error type of the crate.
//!
//! Every message says where the problem is (a JSON path such as
//! `$.items[3].price`, or a line number), what arrived and what is accepted.
//! [`Error::code`] gives a stable, machine-readable kind that the browser
//! shell can branch on.

use thiserror::Error;

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in pocketrec, grouped by cause.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// Text that is not valid JSON (or is nested too deeply).
    #[error("{source_name}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// What was being read ("catalogue", "config", "interactions").
        source_name: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// A value at a JSON path has the wrong type or an invalid value.
    #[error("{path}: {message}")]
    InvalidValue {
        /// JSON path of the offending value, e.g. `$.items[3].id`.
        path: String,
        /// What arrived and what is accepted.
        message: String,
    },
    /// A line of a CSV file is malformed.
    #[error("{source_name} line {line}: {message}")]
    Csv {
        /// What was being read.
        source_name: String,
        /// 1-based line number (the header is line 1).
        line: u64,
        /// What arrived and what is accepted.
        message: String,
    },
    /// Two catalogue items share an id.
    #[error("{path}: duplicate item id {id:?} (first seen at {first_path}); ids must be unique")]
    DuplicateId {
        /// Path of the second occurrence.
        path: String,
        /// The repeated id.
        id: String,
        /// Path of the first occurrence.
        first_path: String,
    },
    /// An item id that the catalogue does not hold.
    #[error("unknown item id {0:?}")]
    UnknownItem(String),
    /// A configuration value outside its accepted range.
    #[error("config {field}: {message}")]
    InvalidConfig {
        /// Dotted name of the option, e.g. `itemKnn.neighbours`.
        field: String,
        /// What arrived and what is accepted.
        message: String,
    },
    /// Input that is empty where data is required.
    #[error("{0}")]
    Empty(String),
    /// Input beyond a documented size limit (see [`crate::limits`]).
    #[error("{0}")]
    LimitExceeded(String),
    /// A model index ([`crate::index`]) file that is missing, truncated,
    /// corrupt, of another format version, or does not match its hash.
    #[error("model index {file}: {message}")]
    BadIndex {
        /// The file (the manifest, or a shard's name).
        file: String,
        /// What is wrong with it.
        message: String,
    },
    /// A forecasting model that cannot be fitted to the series it was given
    /// (e.g. seasonal naive without one full season).
    #[error("forecast: {what}")]
    Forecast {
        /// What the model needs and what the series has.
        what: String,
    },
}

impl Error {
    /// A stable, machine-readable code for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Json { .. } => "invalid_json",
            Error::InvalidValue { .. } => "invalid_value",
            Error::Csv { .. } => "invalid_csv",
            Error::DuplicateId { .. } => "duplicate_id",
            Error::UnknownItem(_) => "unknown_item",
            Error::InvalidConfig { .. } => "invalid_config",
            Error::Empty(_) => "empty_input",
            Error::LimitExceeded(_) => "limit_exceeded",
            Error::BadIndex { .. } => "bad_index",
            Error::Forecast { .. } => "forecast_unfit",
        }
    }

    pub(crate) fn json(source_name: &str, err: &serde_json::Error) -> Error {
        // serde_json appends " at line L column C" to its Display text; we
        // report line and column as fields instead, so strip the suffix.
        let text = err.to_string();
        let message = match text.rfind(" at line ") {
            Some(pos) => text[..pos].to_string(),
            None => text,
        };
        Error::Json {
            source_name: source_name.to_string(),
            line: err.line(),
            column: err.column(),
            message,
        }
    }

    /// [`Error::json`] for a parse of `text`, with a clearer message where
    /// serde_json's is cryptic: an escape of a lone UTF-16 surrogate
    /// (`"\uD800"`) names the escape instead of "unexpected end of hex escape".
    pub(crate) fn json_in(source_name: &str, err: &serde_json::Error, text: &[u8]) -> Error {
        let mut error = Error::json(source_name, err);
        if let Error::Json {
            line,
            column,
            message,
            ..
        } = &mut error
        {
            let surrogate_error = message == "unexpected end of hex escape"
                || message == "lone leading surrogate in hex escape";
            if let Some(escape) = surrogate_error
                .then(|| lone_surrogate_before(text, *line, *column))
                .flatten()
            {
                *message = format!("a lone UTF-16 surrogate {escape} is not a character; a \\uD800–\\uDBFF escape must be followed by a \\uDC00–\\uDFFF one");
            }
        }
        error
    }

    pub(crate) fn value(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidValue {
            path: path.into(),
            message: message.into(),
        }
    }

    pub(crate) fn config(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidConfig {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Checks an optional half-life in days: absent, or a finite number > 0.
pub(crate) fn check_half_life(field: &str, days: Option<f64>) -> Result<()> {
    match days {
        Some(h) if !(h.is_finite() && h > 0.0) => Err(Error::config(
            field,
            format!("must be a number of days > 0, got {h}"),
        )),
        _ => Ok(()),
    }
}

/// Describes a JSON value briefly for error messages: its type and, for
/// scalars, a shortened rendering (`string "abc"`, `number 3.5`, `an object`).
pub(crate) fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {:?}", shorten(s, 40)),
        Value::Array(a) => format!("an array of {} elements", a.len()),
        Value::Object(_) => "an object".to_string(),
    }
}

/// First `max` characters of `s`, with an ellipsis when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// The first `\uXXXX` escape of a UTF-16 surrogate (D800–DFFF) in the 13
/// bytes before 1-based `line` and `column` of `text`, as written.
fn lone_surrogate_before(text: &[u8], line: usize, column: usize) -> Option<String> {
    let line_start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(line - 2)?
            .0
            + 1
    };
    let end = (line_start + column).min(text.len());
    let window = &text[end.saturating_sub(13)..end];
    window.windows(6).find_map(|w| {
        let hex = std::str::from_utf8(w.strip_prefix(b"\\u")?).ok()?;
        let n = u16::from_str_radix(hex, 16).ok()?;
        (0xD800..=0xDFFF).contains(&n).then(|| format!("\\u{hex}"))
    })
}
