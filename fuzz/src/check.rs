//! The checks every target applies to results.

use pocketrec::data::catalogue::Catalogue;
use pocketrec::forecast::{Forecast, ForecastOptions};
use pocketrec::recommend::filter::Filter;
use pocketrec::recommend::{CheckedQuery, Recommendation};

/// At most `k` results, distinct ids, finite scores, none of `excluded`
/// (the query item, the history, the filter's exclusions).
pub fn recommendations(
    what: &str,
    results: &[Recommendation],
    query: &CheckedQuery,
    excluded: &[&str],
) {
    assert!(
        results.len() <= query.k,
        "{what}: {} results for k = {}",
        results.len(),
        query.k
    );
    let mut ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        results.len(),
        "{what}: repeated ids in {results:?}"
    );
    for r in results {
        assert!(
            r.score.is_finite(),
            "{what}: score {} for {:?}",
            r.score,
            r.id
        );
        assert!(
            !excluded.contains(&r.id.as_str()),
            "{what}: {:?} should have been left out",
            r.id
        );
    }
}

/// Every result passes the filter's stock and price conditions.
pub fn filtered(catalogue: &Catalogue, filter: &Filter, results: &[Recommendation]) {
    for r in results {
        let i = r.index;
        assert_eq!(catalogue.id(i), r.id, "index and id agree");
        if filter.in_stock_only {
            assert!(catalogue.is_available(i), "{:?} is out of stock", r.id);
        }
        if filter.min_price.is_some() || filter.max_price.is_some() {
            let price = catalogue.price(i);
            let (lo, hi) = (
                filter.min_price.unwrap_or(f64::MIN),
                filter.max_price.unwrap_or(f64::MAX),
            );
            assert!(
                price.is_some_and(|p| lo <= p && p <= hi),
                "{:?} costs {price:?}, outside [{lo}, {hi}]",
                r.id
            );
        }
    }
}

/// `horizon` finite points; one interval per requested level, finite and
/// around the point; wider levels contain narrower ones; nothing below 0
/// when the data are non-negative.
pub fn forecast(f: &Forecast, horizon: usize, options: &ForecastOptions, non_negative: bool) {
    assert_eq!(f.point.len(), horizon, "{}: points", f.model);
    assert_eq!(
        f.intervals.len(),
        options.levels.len(),
        "{}: intervals",
        f.model
    );
    for (h, p) in f.point.iter().enumerate() {
        assert!(p.is_finite(), "{}: point[{h}] = {p}", f.model);
        assert!(
            !non_negative || *p >= 0.0,
            "{}: point[{h}] = {p} < 0",
            f.model
        );
    }
    for iv in &f.intervals {
        assert_eq!(
            iv.lower.len(),
            horizon,
            "{}: lower at {}",
            f.model,
            iv.level
        );
        assert_eq!(
            iv.upper.len(),
            horizon,
            "{}: upper at {}",
            f.model,
            iv.level
        );
        for h in 0..horizon {
            let (lo, p, hi) = (iv.lower[h], f.point[h], iv.upper[h]);
            assert!(
                lo.is_finite() && hi.is_finite(),
                "{}: level {} step {h}: [{lo}, {hi}]",
                f.model,
                iv.level
            );
            assert!(
                lo <= p && p <= hi,
                "{}: level {} step {h}: {lo} ≤ {p} ≤ {hi} fails",
                f.model,
                iv.level
            );
            assert!(!non_negative || lo >= 0.0, "{}: lower {lo} < 0", f.model);
        }
    }
    for a in &f.intervals {
        for b in f.intervals.iter().filter(|b| b.level > a.level) {
            for h in 0..horizon {
                assert!(
                    b.lower[h] <= a.lower[h] && a.upper[h] <= b.upper[h],
                    "{}: step {h}: the {} interval [{}, {}] is not inside the {} one [{}, {}]",
                    f.model,
                    a.level,
                    a.lower[h],
                    a.upper[h],
                    b.level,
                    b.lower[h],
                    b.upper[h]
                );
            }
        }
    }
}

/// Splits an input at its first newline: (the first line, the rest).
pub fn first_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == b'\n') {
        Some(p) => (&data[..p], &data[p + 1..]),
        None => (data, &[]),
    }
}

/// Whether the input looks like JSON (its first byte after white space is
/// `{` or `[`); otherwise the targets read it as CSV.
pub fn is_json(data: &[u8]) -> bool {
    matches!(
        data.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}
