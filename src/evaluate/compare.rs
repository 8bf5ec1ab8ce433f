//! Comparing two recommenders (A and B) on the same test users: per-user
//! paired differences and a seeded paired bootstrap.
//!
//! Both recommenders are evaluated on one split, so every test user has a
//! score under each ([`super::evaluate_users`]). Pairing the two scores per
//! user removes the between-user variance (some users are easy for every
//! model), which an unpaired comparison of two means would carry.
//!
//! **Paired differences.** For each user `u` scored by both,
//! `d_u = m_B(u) − m_A(u)` for a metric `m` (NDCG@k, recall@k); the reported
//! difference is their mean `d̄ = (1/n) Σ_u d_u`.
//!
//! **Paired bootstrap, percentile interval** (Efron & Tibshirani 1993,
//! ch. 13). Draw `R` resamples of `n` users with replacement (a seeded
//! [`fastrand::Rng`]; default `R` = 2000, seed 42); resample `r` gives the
//! mean `d̄*_r` of its users' differences. The `level` (default 95%) interval
//! is `[q(α/2), q(1 − α/2)]`, `α = 1 − level`, where `q(p)` is the
//! linearly interpolated quantile of the sorted `d̄*` (type 7:
//! `h = (R − 1)·p`, `q = d̄*_(⌊h⌋) + (h − ⌊h⌋)·(d̄*_(⌊h⌋+1) − d̄*_(⌊h⌋))`).
//! Both metrics are read from the same resamples (a user is resampled with
//! both of their differences). For large `n` the interval approaches the
//! normal one, `d̄ ± 1.96·s/√n` with `s` the differences' standard deviation.
//!
//! **Verdict.** B is better when the interval lies above 0, A when it lies
//! below, and otherwise (the interval contains 0) there is no detectable
//! difference at that level. "Better by `d̄ ± h`" gives the half-width
//! `h = (upper − lower)/2` of the interval.
//!
//! Deterministic: the same per-user scores, resamples and seed give the
//! same interval on every platform.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::evaluate::UserMetrics;

/// The most bootstrap resamples accepted (each costs `8` bytes per metric
/// and `n` draws).
pub const MAX_RESAMPLES: usize = 1_000_000;

/// How to compare.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareOptions {
    /// Bootstrap resamples `R`, 1 to [`MAX_RESAMPLES`]. Default 2000.
    pub resamples: usize,
    /// Seed of the resampling generator. Default 42.
    pub seed: u64,
    /// Confidence level of the interval, in (0, 1). Default 0.95.
    pub level: f64,
}

impl Default for CompareOptions {
    fn default() -> CompareOptions {
        CompareOptions {
            resamples: 2000,
            seed: 42,
            level: 0.95,
        }
    }
}

impl CompareOptions {
    /// Checks the ranges in the field docs.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_RESAMPLES).contains(&self.resamples) {
            return Err(Error::config(
                "bootstrap",
                format!(
                    "must be from 1 to {MAX_RESAMPLES} resamples, got {}",
                    self.resamples
                ),
            ));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(Error::config(
                "level",
                format!("must be between 0 and 1 (exclusive), got {}", self.level),
            ));
        }
        Ok(())
    }
}

/// Which recommender the interval favours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// The interval lies above 0.
    BBetter,
    /// The interval lies below 0.
    ABetter,
    /// The interval contains 0.
    NoDifference,
}

/// One metric compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricComparison {
    /// The metric's name (`ndcg`, `recall`).
    pub metric: &'static str,
    /// Mean of A over the paired users.
    pub a: f64,
    /// Mean of B over the paired users.
    pub b: f64,
    /// Mean paired difference `d̄` (B − A).
    pub difference: f64,
    /// Lower end of the bootstrap interval of `d̄`.
    pub lower: f64,
    /// Upper end of the bootstrap interval of `d̄`.
    pub upper: f64,
    /// What the interval says.
    pub verdict: Verdict,
}

impl MetricComparison {
    /// Half the interval's width: the "±" of "better by d̄ ± h".
    pub fn half_width(&self) -> f64 {
        (self.upper - self.lower) / 2.0
    }

    /// The verdict in words, naming A and B (`a`, `b`: their file names),
    /// e.g. "b.json is better by 0.0120 ± 0.0040 (95% CI 0.0080 to 0.0160)".
    pub fn sentence(&self, a: &str, b: &str, level: f64) -> String {
        let pct = level * 100.0;
        match self.verdict {
            Verdict::BBetter => format!(
                "{b} is better by {:.4} ± {:.4} ({pct}% CI {:.4} to {:.4})",
                self.difference,
                self.half_width(),
                self.lower,
                self.upper
            ),
            // Said from A's side: A − B, and its interval flipped.
            Verdict::ABetter => format!(
                "{a} is better by {:.4} ± {:.4} ({pct}% CI {:.4} to {:.4})",
                -self.difference,
                self.half_width(),
                -self.upper,
                -self.lower
            ),
            Verdict::NoDifference => format!(
                "no detectable difference ({b} − {a} = {:+.4}, {pct}% CI {:.4} to {:.4})",
                self.difference, self.lower, self.upper
            ),
        }
    }
}

/// A comparison of B against A on the users both were scored on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Users scored by both.
    pub users: usize,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Seed of the resampling.
    pub seed: u64,
    /// Confidence level of the intervals.
    pub level: f64,
    /// NDCG@k.
    pub ndcg: MetricComparison,
    /// Recall@k.
    pub recall: MetricComparison,
}

/// The users scored by both A and B, each with both scores, in ascending
/// user order. `a` and `b` are `(user, metrics)` in ascending user order,
/// as [`super::evaluate_users`] returns them; a user in only one is left out.
pub fn pair_users(
    a: &[(u32, UserMetrics)],
    b: &[(u32, UserMetrics)],
) -> Vec<(u32, UserMetrics, UserMetrics)> {
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::with_capacity(a.len().min(b.len()));
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                pairs.push((a[i].0, a[i].1, b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    pairs
}

/// Percentile bootstrap intervals of the means of several paired
/// difference columns, all of length `n ≥ 1`, resampled jointly (one
/// draw of users serves every column; see the module docs).
/// Returns one `(lower, upper)` per column.
///
/// # Errors
/// [`Error::InvalidConfig`] for options out of range; [`Error::Empty`] for
/// no users; [`Error::InvalidValue`] for columns of different lengths.
pub fn bootstrap_intervals(
    columns: &[&[f64]],
    options: &CompareOptions,
) -> Result<Vec<(f64, f64)>> {
    options.validate()?;
    let n = columns.first().map_or(0, |c| c.len());
    if n == 0 {
        return Err(Error::Empty(
            "no users to compare: none was scored by both recommenders".into(),
        ));
    }
    if let Some(bad) = columns.iter().position(|c| c.len() != n) {
        return Err(Error::InvalidValue {
            path: format!("columns[{bad}]"),
            message: format!("has {} values, the first has {n}", columns[bad].len()),
        });
    }
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut means = vec![Vec::with_capacity(options.resamples); columns.len()];
    let mut sums = vec![0.0; columns.len()];
    for _ in 0..options.resamples {
        sums.fill(0.0);
        for _ in 0..n {
            let u = rng.usize(0..n);
            for (sum, column) in sums.iter_mut().zip(columns) {
                *sum += column[u];
            }
        }
        for (m, sum) in means.iter_mut().zip(&sums) {
            m.push(sum / n as f64);
        }
    }
    let alpha = 1.0 - options.level;
    Ok(means
        .into_iter()
        .map(|mut m| {
            m.sort_unstable_by(f64::total_cmp);
            (quantile(&m, alpha / 2.0), quantile(&m, 1.0 - alpha / 2.0))
        })
        .collect())
}

/// The type-7 quantile `p` of `sorted` (non-empty, ascending).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Compares B against A on NDCG@k and recall@k over the users both were
/// scored on (see the module docs for the method).
///
/// # Errors
/// As [`bootstrap_intervals`]: options out of range, or no user scored by both.
pub fn compare(
    a: &[(u32, UserMetrics)],
    b: &[(u32, UserMetrics)],
    options: &CompareOptions,
) -> Result<Comparison> {
    let pairs = pair_users(a, b);
    let column = |f: fn(&UserMetrics) -> f64| -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let va: Vec<f64> = pairs.iter().map(|p| f(&p.1)).collect();
        let vb: Vec<f64> = pairs.iter().map(|p| f(&p.2)).collect();
        let d = va.iter().zip(&vb).map(|(x, y)| y - x).collect();
        (va, vb, d)
    };
    let ndcg = column(|m| m.ndcg);
    let recall = column(|m| m.recall);
    let intervals = bootstrap_intervals(&[&ndcg.2, &recall.2], options)?;
    let metric = |name, (va, vb, d): &(Vec<f64>, Vec<f64>, Vec<f64>), (lower, upper)| {
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let verdict = if lower > 0.0 {
            Verdict::BBetter
        } else if upper < 0.0 {
            Verdict::ABetter
        } else {
            Verdict::NoDifference
        };
        MetricComparison {
            metric: name,
            a: mean(va),
            b: mean(vb),
            difference: mean(d),
            lower,
            upper,
            verdict,
        }
    };
    Ok(Comparison {
        users: pairs.len(),
        resamples: options.resamples,
        seed: options.seed,
        level: options.level,
        ndcg: metric("ndcg", &ndcg, intervals[0]),
        recall: metric("recall", &recall, intervals[1]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(ndcg: f64, recall: f64) -> UserMetrics {
        UserMetrics {
            ndcg,
            recall,
            ..UserMetrics::default()
        }
    }

    fn options(resamples: usize, seed: u64) -> CompareOptions {
        CompareOptions {
            resamples,
            seed,
            level: 0.95,
        }
    }

    #[test]
    fn constant_differences_give_a_point_interval() {
        // Every resample of d = 0.25 everywhere has mean 0.25.
        let d = vec![0.25; 37];
        let ci = bootstrap_intervals(&[&d], &options(500, 1)).unwrap();
        assert!(
            (ci[0].0 - 0.25).abs() < 1e-12 && (ci[0].1 - 0.25).abs() < 1e-12,
            "{ci:?}"
        );
    }

    #[test]
    fn a_large_symmetric_case_matches_the_normal_interval() {
        // d alternates 0.1 + 1 and 0.1 − 1: mean 0.1, population sd 1, so the
        // normal interval is 0.1 ± 1.96/√4000 = 0.1 ± 0.0310.
        let n = 4000;
        let d: Vec<f64> = (0..n)
            .map(|i| if i % 2 == 0 { 1.1 } else { -0.9 })
            .collect();
        let (lo, hi) = bootstrap_intervals(&[&d], &options(4000, 7)).unwrap()[0];
        let half = 1.96 / (n as f64).sqrt();
        assert!(
            ((hi - lo) / 2.0 - half).abs() < 0.1 * half,
            "{lo} {hi} vs ±{half}"
        );
        assert!(((hi + lo) / 2.0 - 0.1).abs() < 0.1 * half, "{lo} {hi}");
    }

    #[test]
    fn the_interval_depends_on_the_seed_only() {
        let d: Vec<f64> = (0..50).map(|i| (i as f64 * 0.37).sin()).collect();
        let a = bootstrap_intervals(&[&d], &options(300, 5)).unwrap();
        let b = bootstrap_intervals(&[&d], &options(300, 5)).unwrap();
        let c = bootstrap_intervals(&[&d], &options(300, 6)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn quantiles_interpolate_linearly() {
        // h = 4·0.25 = 1 → 2; h = 4·0.1 = 0.4 → 1 + 0.4·(2 − 1) = 1.4.
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert!((quantile(&v, 0.1) - 1.4).abs() < 1e-12);
        assert_eq!(quantile(&v, 1.0), 5.0);
    }

    #[test]
    fn users_are_paired_and_differences_taken_b_minus_a() {
        // A scored users 0, 1, 3; B scored 1, 2, 3: users 1 and 3 pair up.
        // NDCG differences: 0.5 − 0.2 = 0.3 and 0.9 − 0.4 = 0.5, mean 0.4;
        // recall differences: 1 − 1 = 0 and 0 − 0.5 = −0.5, mean −0.25.
        let a = [
            (0, user(1.0, 1.0)),
            (1, user(0.2, 1.0)),
            (3, user(0.4, 0.5)),
        ];
        let b = [
            (1, user(0.5, 1.0)),
            (2, user(0.0, 0.0)),
            (3, user(0.9, 0.0)),
        ];
        let pairs = pair_users(&a, &b);
        assert_eq!(pairs.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 3]);
        let c = compare(&a, &b, &options(200, 3)).unwrap();
        assert_eq!(c.users, 2);
        assert!((c.ndcg.difference - 0.4).abs() < 1e-12);
        assert!((c.ndcg.a - 0.3).abs() < 1e-12 && (c.ndcg.b - 0.7).abs() < 1e-12);
        assert!((c.recall.difference + 0.25).abs() < 1e-12);
        // Two users: every resample mean is 0.3, 0.4 or 0.5 (NDCG), all > 0.
        assert_eq!(c.ndcg.verdict, Verdict::BBetter);
        assert!(c.ndcg.lower >= 0.3 - 1e-12 && c.ndcg.upper <= 0.5 + 1e-12);
        // Recall: 0, −0.25 or −0.5; the interval reaches 0 unless no resample drew user 1 twice.
        assert!(c.recall.upper <= 0.0);
    }

    #[test]
    fn verdicts_follow_the_interval() {
        let base: Vec<(u32, UserMetrics)> = (0..100).map(|u| (u, user(0.5, 0.5))).collect();
        // B is 0.1 better on NDCG for every user, equal on recall, give or take noise.
        let b: Vec<(u32, UserMetrics)> = (0..100)
            .map(|u| {
                let noise = if u % 2 == 0 { 0.01 } else { -0.01 };
                (u, user(0.6 + noise, 0.5 + noise))
            })
            .collect();
        let c = compare(&base, &b, &CompareOptions::default()).unwrap();
        assert_eq!(c.ndcg.verdict, Verdict::BBetter);
        assert_eq!(c.recall.verdict, Verdict::NoDifference);
        assert!(c
            .ndcg
            .sentence("a.json", "b.json", 0.95)
            .starts_with("b.json is better by 0.1000 ± 0.00"));
        assert!(c
            .recall
            .sentence("a.json", "b.json", 0.95)
            .starts_with("no detectable difference (b.json − a.json = "));
        // Swapped, A is the better one, by the same amount.
        let swapped = compare(&b, &base, &CompareOptions::default()).unwrap();
        assert_eq!(swapped.ndcg.verdict, Verdict::ABetter);
        assert!(swapped
            .ndcg
            .sentence("b.json", "a.json", 0.95)
            .starts_with("b.json is better by 0.1000 ± 0.00"));
    }

    #[test]
    fn bad_options_and_no_common_users_are_errors() {
        let a = [(0, user(1.0, 1.0))];
        let b = [(1, user(1.0, 1.0))];
        assert_eq!(
            compare(&a, &b, &CompareOptions::default())
                .unwrap_err()
                .code(),
            "empty_input"
        );
        let zero = CompareOptions {
            resamples: 0,
            ..CompareOptions::default()
        };
        let e = compare(&a, &a, &zero).unwrap_err();
        assert_eq!(
            e.to_string(),
            "config bootstrap: must be from 1 to 1000000 resamples, got 0"
        );
    }
}
