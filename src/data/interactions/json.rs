//! The JSON reader: `{"interactions": [...]}` or a bare array of row objects.

use serde_json::Value;

use super::{check_size, check_weight, parse_timestamp, InteractionConfig, Interactions};
use crate::data::catalogue::Catalogue;
use crate::error::{describe, Error, Result};

impl Interactions {
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
}
