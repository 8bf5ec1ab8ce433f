//! Timestamps: seconds since 1970 or ISO 8601 dates, checked against years 1–9999.

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
