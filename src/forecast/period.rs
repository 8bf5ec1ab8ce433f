//! The `period` column of long-form CSV input: integers (`1`, `2`, …),
//! months (`2024-02`, `2024-2`) or dates (`2024-02-05`), parsed as what
//! they are so that `10` follows `9` and `2024-10` follows `2024-9`.
//!
//! Each period becomes a number on its own scale (the integer itself,
//! months since year 0, days since 1970-01-01), so sorting, spotting
//! duplicates and counting the missing periods in a gap are integer
//! arithmetic.

use std::fmt;

/// What a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// A whole number; consecutive periods differ by 1.
    Integer,
    /// `YYYY-MM`; consecutive periods are consecutive months.
    Month,
    /// `YYYY-MM-DD`; weekly (step 7 days) when no two of a series' dates
    /// are less than a week apart, else daily.
    Date,
}

impl PeriodKind {
    /// The kind's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            PeriodKind::Integer => "an integer",
            PeriodKind::Month => "a YYYY-MM month",
            PeriodKind::Date => "a YYYY-MM-DD date",
        }
    }
}

/// A parsed period: its kind and its position on that kind's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// What the period is.
    pub kind: PeriodKind,
    /// The integer; months since January of year 0; days since 1970-01-01.
    pub key: i64,
}

/// Parses a period; `None` when it is none of the three kinds (or an
/// impossible month or day).
pub fn parse(text: &str) -> Option<Period> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Some(Period {
            kind: PeriodKind::Integer,
            key: n,
        });
    }
    let parts: Vec<&str> = text.split('-').collect();
    let field = |s: &str, digits: std::ops::RangeInclusive<usize>| -> Option<i64> {
        if digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let year = field(parts.first()?, 4..=4)?;
    let month = field(parts.get(1)?, 1..=2).filter(|m| (1..=12).contains(m))?;
    match parts.len() {
        2 => Some(Period {
            kind: PeriodKind::Month,
            key: year * 12 + month - 1,
        }),
        3 => {
            let day =
                field(parts[2], 1..=2).filter(|d| (1..=days_in_month(year, month)).contains(d))?;
            Some(Period {
                kind: PeriodKind::Date,
                key: days_from_civil(year, month, day),
            })
        }
        _ => None,
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date: whole 400-year
/// eras of 146 097 days, then days into the era counted from 1 March (so
/// the leap day ends the year).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Integer => write!(f, "{}", self.key),
            PeriodKind::Month => write!(
                f,
                "{:04}-{:02}",
                self.key.div_euclid(12),
                self.key.rem_euclid(12) + 1
            ),
            PeriodKind::Date => {
                let (y, m, d) = civil_from_days(self.key);
                write!(f, "{y:04}-{m:02}-{d:02}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_as_what_they_are_and_sort_by_that() {
        let keys: Vec<i64> = ["9", "10"].iter().map(|p| parse(p).unwrap().key).collect();
        assert!(keys[0] < keys[1]);
        let (a, b) = (parse("2024-2").unwrap(), parse("2024-10").unwrap());
        assert_eq!((a.kind, b.kind), (PeriodKind::Month, PeriodKind::Month));
        assert_eq!(b.key - a.key, 8);
        assert_eq!(a.to_string(), "2024-02");
        let d = parse("2024-03-01").unwrap();
        assert_eq!(d.kind, PeriodKind::Date);
        // 2024 is a leap year: 29 February lies between.
        assert_eq!(d.key - parse("2024-02-28").unwrap().key, 2);
        assert_eq!(parse("1970-01-01").unwrap().key, 0);
        assert_eq!(d.to_string(), "2024-03-01");
        for bad in ["2024-13", "2023-02-29", "Q1-2024", "1.5", "", "24-01"] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn days_round_trip_over_four_centuries() {
        for days in (-200_000..200_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
