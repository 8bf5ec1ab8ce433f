//! Long-form `id,period,value` CSV.

use std::collections::HashMap;

use super::{InputSeries, SeriesInput, MAX_SERIES};
use crate::error::{Error, Result};
use crate::forecast::period::{self, Period, PeriodKind};
use crate::forecast::MAX_VALUES;

fn csv_error(source: &str, line: u64, message: impl Into<String>) -> Error {
    Error::Csv {
        source_name: source.to_string(),
        line,
        message: message.into(),
    }
}

/// Long-form CSV: a header with `id`, `period` and `value` columns (any
/// order), one row per series and period. Rows are grouped by id in order
/// of first appearance.
///
/// Periods are integers, `YYYY-MM` months or `YYYY-MM-DD` dates
/// ([`crate::forecast::period`]), each series' rows sorted by what they are. Within
/// a series:
///
/// * every period must be of one kind;
/// * a period may appear once;
/// * gaps are filled with 0 (no sale recorded, no sale made), with a
///   warning naming the series and the missing periods. The step is 1 for
///   integers and months; dates are weekly (step 7 days, every gap a
///   whole number of weeks) when no two are less than a week apart, and
///   daily otherwise.
///
/// A value that is not a number becomes NaN, so only its series falls
/// back.
///
/// # Errors
/// [`Error::Csv`] naming the line: no header or a missing column, a quote
/// that is never closed, a malformed record, a period of no known kind or
/// of a different kind than the series' first, a period given twice
/// (naming both lines), weekly dates that are not whole weeks apart.
/// [`Error::LimitExceeded`] above [`MAX_SERIES`] series, or when filling a
/// series' gaps would make it longer than [`MAX_VALUES`].
pub fn read_csv_series(text: &str, source: &str) -> Result<SeriesInput> {
    check_quotes(text, source)?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(source, 1, format!("no header line: {e}")))?
        .clone();
    let col = |name: &str| -> Result<usize> {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                csv_error(
                    source,
                    1,
                    format!("the header needs an {name:?} column (id,period,value)"),
                )
            })
    };
    let (ci, cp, cv) = (col("id")?, col("period")?, col("value")?);
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<Row>> = HashMap::new();
    let mut problems: HashMap<String, String> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let fallback_line = i as u64 + 2;
        let record =
            record.map_err(|e| csv_error(source, fallback_line, format!("malformed: {e}")))?;
        let line = record.position().map_or(fallback_line, |p| p.line());
        let id = record.get(ci).unwrap_or("").to_string();
        let text = record.get(cp).unwrap_or("");
        let period = period::parse(text).ok_or_else(|| {
            csv_error(
                source,
                line,
                format!("period {text:?} is not an integer, a YYYY-MM month or a YYYY-MM-DD date"),
            )
        })?;
        let cell = record.get(cv).unwrap_or("");
        let value = cell.parse::<f64>().unwrap_or(f64::NAN);
        if !value.is_finite() && !problems.contains_key(&id) {
            problems.insert(
                id.clone(),
                format!("line {line}: value {cell:?} is not a finite number"),
            );
        }
        if !rows.contains_key(&id) {
            if order.len() == MAX_SERIES {
                return Err(Error::LimitExceeded(format!(
                    "{source} line {line}: more than {MAX_SERIES} series; at most {MAX_SERIES} accepted in one input"
                )));
            }
            order.push(id.clone());
        }
        rows.entry(id).or_default().push(Row {
            period,
            value,
            line,
        });
    }
    let mut out = SeriesInput::default();
    for id in order {
        let r = rows.remove(&id).expect("every id in order has rows");
        let (values, missing) = in_period_order(r, &id, source)?;
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(10).map(Period::to_string).collect();
            out.warnings.push(format!(
                "series {id:?}: {} missing period{} filled with 0: {}{}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if missing.len() > 10 { ", …" } else { "" }
            ));
        }
        out.series.push(InputSeries {
            problem: problems.remove(&id),
            values,
            id,
        });
    }
    Ok(out)
}

/// One CSV row of a series.
struct Row {
    period: Period,
    value: f64,
    line: u64,
}

/// Sorts a series' rows by period and fills its gaps with 0; returns the
/// values and the missing periods (see [`read_csv_series`]).
fn in_period_order(mut rows: Vec<Row>, id: &str, source: &str) -> Result<(Vec<f64>, Vec<Period>)> {
    let first = &rows[0];
    if let Some(other) = rows.iter().find(|r| r.period.kind != first.period.kind) {
        return Err(csv_error(
            source,
            other.line,
            format!(
                "series {id:?}: period {} is {}, but line {} has {}; one series takes one kind of period",
                other.period,
                other.period.kind.name(),
                first.line,
                first.period.kind.name()
            ),
        ));
    }
    let kind = first.period.kind;
    // Stable: equal periods keep their line order for the message.
    rows.sort_by_key(|r| r.period.key);
    if let Some(w) = rows.windows(2).find(|w| w[0].period.key == w[1].period.key) {
        return Err(csv_error(
            source,
            w[1].line,
            format!(
                "series {id:?}: period {} also appears on line {}; each period may appear once",
                w[1].period, w[0].line
            ),
        ));
    }
    let gaps = rows
        .windows(2)
        .map(|w| i128::from(w[1].period.key) - i128::from(w[0].period.key));
    // Dates: weekly when no two are less than a week apart, else daily.
    let step: i128 = match kind {
        PeriodKind::Date if gaps.clone().min().is_some_and(|g| g >= 7) => 7,
        _ => 1,
    };
    if let Some(w) = rows
        .windows(2)
        .find(|w| (i128::from(w[1].period.key) - i128::from(w[0].period.key)) % step != 0)
    {
        return Err(csv_error(
            source,
            w[1].line,
            format!(
                "series {id:?}: date {} is not a whole number of weeks after {} (line {}); dates at least a week apart are read as weekly (give monthly data as YYYY-MM)",
                w[1].period, w[0].period, w[0].line
            ),
        ));
    }
    let length = gaps.map(|g| g / step).sum::<i128>() + 1;
    if length > MAX_VALUES as i128 {
        return Err(Error::LimitExceeded(format!(
            "{source}: series {id:?} runs from period {} to {}: {length} values with its gaps filled, at most {MAX_VALUES} accepted",
            rows[0].period,
            rows[rows.len() - 1].period
        )));
    }
    let mut values = Vec::with_capacity(length as usize);
    let mut missing = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            let before = rows[i - 1].period.key;
            let gap = ((i128::from(r.period.key) - i128::from(before)) / step) as i64;
            for k in 1..gap {
                values.push(0.0);
                missing.push(Period {
                    kind,
                    key: before + k * step as i64,
                });
            }
        }
        values.push(r.value);
    }
    Ok((values, missing))
}

/// Rejects a quoted field that is never closed. The CSV reader would take
/// everything after the quote, line breaks included, as one field (a
/// series named `s,2,11`); this scan follows the same rule (a quote opens
/// a field only at its start; `""` inside is a literal quote) and names
/// the line of the opening quote.
fn check_quotes(text: &str, source: &str) -> Result<()> {
    let bytes = text.as_bytes();
    let (mut line, mut open_line) = (1u64, 0u64);
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                    field_start = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else {
            match b {
                b'"' if field_start => {
                    quoted = true;
                    open_line = line;
                }
                b',' => field_start = true,
                b'\n' => {
                    line += 1;
                    field_start = true;
                }
                _ => field_start = false,
            }
        }
        i += 1;
    }
    if quoted {
        return Err(csv_error(
            source,
            open_line,
            "a quoted field opens here and is never closed (a missing \")",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<SeriesInput> {
        read_csv_series(text, "in.csv")
    }

    #[test]
    fn an_unterminated_quote_is_an_error_at_its_line() {
        let err = csv("id,period,value\ns,1,10\n\"s,2,11\ns,3,12\n").unwrap_err();
        assert_eq!(err.code(), "invalid_csv");
        assert!(err.to_string().starts_with("in.csv line 3:"), "{err}");
        assert!(err.to_string().contains("never closed"), "{err}");
        // Closed quotes, escaped quotes and quotes inside a field are fine.
        let ok = csv("id,period,value\n\"a \"\"x\"\"\",1,1\nb\"c,1,2\n").unwrap();
        assert_eq!(ok.series[0].id, "a \"x\"");
        assert_eq!(ok.series[1].id, "b\"c");
    }

    #[test]
    fn periods_sort_as_numbers_months_and_dates() {
        let text = "id,period,value\na,10,3\na,9,2\na,8,1\n\
                    m,2024-10,5\nm,2024-9,4\n\
                    w,2024-01-15,2\nw,2024-01-08,1\n";
        let input = csv(text).unwrap();
        let values: Vec<&[f64]> = input.series.iter().map(|s| s.values.as_slice()).collect();
        assert_eq!(values, [&[1.0, 2.0, 3.0][..], &[4.0, 5.0], &[1.0, 2.0]]);
        assert!(input.warnings.is_empty());
    }

    #[test]
    fn gaps_are_filled_with_zero_and_named_in_a_warning() {
        let input = csv("id,period,value\na,1,5\na,2,6\na,5,7\na,6,8\n").unwrap();
        assert_eq!(input.series[0].values, [5.0, 6.0, 0.0, 0.0, 7.0, 8.0]);
        assert_eq!(
            input.warnings,
            ["series \"a\": 2 missing periods filled with 0: 3, 4"]
        );
        // Weekly dates: the step is 7 days; months step by month.
        let input =
            csv("id,period,value\nw,2024-01-01,1\nw,2024-01-22,4\nm,2023-12,1\nm,2024-02,3\n")
                .unwrap();
        assert_eq!(input.series[0].values, [1.0, 0.0, 0.0, 4.0]);
        assert_eq!(input.series[1].values, [1.0, 0.0, 3.0]);
        assert_eq!(
            input.warnings,
            [
                "series \"w\": 2 missing periods filled with 0: 2024-01-08, 2024-01-15",
                "series \"m\": 1 missing period filled with 0: 2024-01"
            ]
        );
    }

    #[test]
    fn a_duplicate_period_names_both_lines() {
        let err = csv("id,period,value\na,1,5\na,2,6\na,1,7\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("in.csv line 4:") && text.contains("line 2"),
            "{text}"
        );
    }

    #[test]
    fn mixed_or_unknown_period_kinds_are_errors_at_their_line() {
        let err = csv("id,period,value\na,2024-01,5\na,2024-02-01,6\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("in.csv line 3:") && text.contains("line 2"),
            "{text}"
        );
        let err = csv("id,period,value\na,Q1,5\n").unwrap_err();
        assert!(err.to_string().starts_with("in.csv line 2:"), "{err}");
        // Weekly dates (none closer than 7 days) must be whole weeks apart.
        let err =
            csv("id,period,value\nd,2024-01-01,1\nd,2024-01-08,1\nd,2024-01-17,1\n").unwrap_err();
        assert!(err.to_string().starts_with("in.csv line 4:"), "{err}");
    }

    #[test]
    fn a_gap_too_long_to_fill_is_a_limit_not_an_allocation() {
        let err = csv("id,period,value\na,1,5\na,9000000000000,6\n").unwrap_err();
        assert_eq!(err.code(), "limit_exceeded");
    }
}
