//! Timestamps: seconds since 1970 or ISO 8601 dates, checked against years 1–9999.

use crate::calendar::{days_from_civil, days_in_month};
use crate::error::shorten;
use crate::limits;

/// A timestamp must fall in years 1–9999.
pub(crate) fn check_timestamp(t: i64) -> std::result::Result<i64, String> {
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

/// Parses seconds since 1970 (an integer or decimal), or an ISO 8601 date
/// or date-time in UTC: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]][Z]`, with
/// `T` or a space between date and time. Years 1–9999 only.
///
/// Date and time parts are read strictly: ASCII digits only (no sign), hours
/// 0–23, minutes 0–59, seconds 0–60 (a leap second), and the result must
/// fall in years 1–9999 ([`limits::MIN_TIMESTAMP`] to
/// [`limits::MAX_TIMESTAMP`]), so `9999-12-31 23:59:60` is refused too.
///
/// # Errors
/// A message naming the text and what is accepted.
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
    let secs = parse_date_time(text).ok_or_else(bad)?;
    check_timestamp(secs)
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z]` to seconds, or `None` when any
/// part is not plain digits or out of its range. Checked arithmetic
/// throughout, although the ranges already keep every sum small.
fn parse_date_time(text: &str) -> Option<i64> {
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (date, time) = match text.find(['T', ' ']) {
        Some(p) => (&text[..p], Some(&text[p + 1..])),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (y, m, d) = (digits(y, 4)?, digits(m, 2)?, digits(d, 2)?);
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d)
    {
        return None;
    }
    let mut secs = days_from_civil(y, m, d).checked_mul(86_400)?;
    if let Some(time) = time {
        let (hms, fraction) = match time.split_once('.') {
            Some((hms, fraction)) => (hms, Some(fraction)),
            None => (time, None),
        };
        if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let mut parts = hms.split(':');
        let (h, mi) = (digits(parts.next()?, 2)?, digits(parts.next()?, 2)?);
        let s = match parts.next() {
            Some(s) => digits(s, 2)?,
            None => 0,
        };
        if parts.next().is_some() || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        let of_day = h.checked_mul(3600)?.checked_add(mi.checked_mul(60)?)?;
        secs = secs.checked_add(of_day.checked_add(s)?)?;
    }
    Some(secs)
}

/// A number of 1 to `max_len` ASCII digits (no sign, no spaces).
fn digits(text: &str, max_len: usize) -> Option<i64> {
    if text.is_empty() || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_negative_time_fields_are_refused_not_wrapped() {
        for text in [
            "2020-01-01 -8326655311048978160:00",
            "2020-01-01 -5:-30",
            "2020-01-01 +5:30",
            "2020-01-01 05:30:-1",
            "2020-01-01 5:30.x",
            "2020-01-01 05:30:00:00",
            "+2020-01-01",
            "2020--1-01",
            "2020-01-01 99999999999999999999:00",
        ] {
            let e = parse_timestamp(text).unwrap_err();
            assert!(e.contains("neither seconds since 1970"), "{text}: {e}");
        }
        assert_eq!(parse_timestamp("1970-01-01 1:02:03.5Z"), Ok(3723));
    }

    #[test]
    fn date_times_past_the_last_second_are_out_of_range() {
        assert_eq!(
            parse_timestamp("9999-12-31 23:59:59"),
            Ok(limits::MAX_TIMESTAMP)
        );
        let e = parse_timestamp("9999-12-31 23:59:60").unwrap_err();
        assert!(e.contains("outside years 1–9999"), "{e}");
        assert_eq!(parse_timestamp("0001-01-01"), Ok(limits::MIN_TIMESTAMP));
    }
}
