//! The `period` column of long-form CSV input: integers (`1`, `2`, …),
//! months (`2024-02`, `2024-2`) or dates (`2024-02-05`), parsed as what
//! they are so that `10` follows `9` and `2024-10` follows `2024-9`.
//!
//! Each period becomes a number on its own scale (the integer itself,
//! months since year 0, days since 1970-01-01), so sorting, spotting
//! duplicates and counting the missing periods in a gap are integer
//! arithmetic.

use std::fmt;

use crate::calendar::{civil_from_days, days_from_civil, days_in_month};

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
