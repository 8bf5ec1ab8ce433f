//! The JSON reader: `{"interactions": [...]}` or a bare array of row objects.

use serde_json::Value;

use super::{
    check_size, check_weight, number_text, parse_timestamp, InteractionConfig, Interactions,
};
use crate::data::catalogue::Catalogue;
use crate::data::strip_bom;
use crate::error::{describe, Error, Result};
use crate::limits::MAX_WEIGHT;

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
        let text = strip_bom(text.as_ref());
        check_size(text.len())?;
        let value: Value =
            serde_json::from_slice(text).map_err(|e| Error::json_in("interactions", &e, text))?;
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
        // Ids are trimmed, as everywhere (see the module docs).
        let id = |name: &str| -> Result<Option<(String, bool)>> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => {
                    let trimmed = s.trim();
                    Ok((!trimmed.is_empty())
                        .then(|| (trimmed.to_string(), trimmed.len() != s.len())))
                }
                Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {
                    Ok(Some((n.to_string(), false)))
                }
                Some(other) => Err(Error::value(
                    format!("{path}.{name}"),
                    format!("expected a string or an integer, got {}", describe(other)),
                )),
            }
        };
        let (Some((user, user_trimmed)), Some((item, item_trimmed))) = (id("user")?, id("item")?)
        else {
            self.skipped_no_user += 1;
            return Ok(());
        };
        self.count_trimmed(user_trimmed, item_trimmed);
        let Some(index) = catalogue.index_of(&item) else {
            self.skip_unknown(&item);
            return Ok(());
        };
        let weight = match obj.get("weight") {
            None | Some(Value::Null) => 1.0,
            Some(Value::Number(n)) => match n.as_f64().filter(|x| x.is_finite()) {
                // Checked in f64, so a finite 1e300 is reported as written,
                // not as the infinity it would become in f32.
                Some(x) if (f32::MIN as f64..=MAX_WEIGHT as f64).contains(&x) => x,
                written => {
                    return Err(Error::value(
                        format!("{path}.weight"),
                        format!(
                            "weight {} is outside the accepted range: a number from {:e} to {:e} (weights ≤ 0 are skipped)",
                            written.map_or(n.to_string(), number_text),
                            f32::MIN,
                            MAX_WEIGHT
                        ),
                    ))
                }
            },
            Some(other) => {
                return Err(Error::value(
                    format!("{path}.weight"),
                    format!("expected a finite number, got {}", describe(other)),
                ))
            }
        };
        let factor = match obj.get("event") {
            None | Some(Value::Null) => 1.0,
            Some(Value::String(e)) => config.event_weight(e, &format!("{path}.event"))?,
            Some(other) => {
                return Err(Error::value(
                    format!("{path}.event"),
                    format!("expected an event name (a string), got {}", describe(other)),
                ))
            }
        };
        let weight = check_weight(weight * factor as f64)
            .map_err(|m| Error::value(format!("{path}.weight"), m))?;
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
