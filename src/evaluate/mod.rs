//! Offline evaluation: train/test splits and ranking metrics.
//!
//! **Splits** work on each user's distinct items. A user with `n ≥ 2` items
//! puts `t = clamp(round(f·n), 1, n − 1)` of them in the test set (all of
//! that item's rows go with it); a user with one item stays in training.
//! * `random`: the items are shuffled with a seeded generator (users in
//!   order, one generator), and the first `t` are tested.
//! * `temporal`: the last `t` items by first interaction time (ties by item
//!   index; rows without a time count as earliest).
//!
//! **Metrics** at cut-off `k`, with `R` the user's test items and `hits@i`
//! the number of test items among the first `i` recommended:
//! * precision = hits@k / k; recall = hits@k / |R|; hit rate = \[hits@k > 0\];
//! * NDCG = DCG / IDCG with binary gains, `DCG = Σ_{i<k} rel_i / log2(i + 2)`,
//!   IDCG the DCG of `min(k, |R|)` hits;
//! * MAP = `Σ_i P@i · rel_i / min(k, |R|)`;
//! * coverage = distinct items recommended to anyone / catalogue size.
//!
//! Each is averaged over the users with test items. `k` must be ≥ 1.

use rustc_hash::FxHashSet;

use crate::data::history::{decay, WeightedHistory};
use crate::data::interactions::{Interactions, UserItems};
use crate::error::{Error, Result};
use crate::recommend::{CheckedQuery, Recommender};

pub mod compare;
pub mod tune;

/// How to split interactions into train and test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitKind {
    /// A random share of each user's items.
    Random,
    /// Each user's most recent items.
    Temporal,
}

impl std::str::FromStr for SplitKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<SplitKind> {
        match s {
            "random" => Ok(SplitKind::Random),
            "temporal" => Ok(SplitKind::Temporal),
            _ => Err(Error::config(
                "split",
                format!("unknown split {s:?}; accepted: random, temporal"),
            )),
        }
    }
}

/// Training and test interactions over the same users and items.
#[derive(Debug, Clone)]
pub struct Split {
    /// Rows for fitting.
    pub train: Interactions,
    /// Held-out rows.
    pub test: Interactions,
}

/// Splits `log` per user (see the module docs).
///
/// # Errors
/// [`Error::InvalidConfig`] for a fraction outside (0, 1).
pub fn split(log: &Interactions, kind: SplitKind, test_fraction: f64, seed: u64) -> Result<Split> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(Error::config(
            "testFraction",
            format!("must be between 0 and 1 (exclusive), got {test_fraction}"),
        ));
    }
    // Each user's distinct items with their first time.
    let mut per_user: Vec<Vec<(u32, i64)>> = vec![Vec::new(); log.user_count()];
    for r in 0..log.len() {
        let (u, i, _, t) = log.row(r);
        per_user[u as usize].push((i, t.unwrap_or(i64::MIN)));
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut test_items: Vec<FxHashSet<u32>> = Vec::with_capacity(per_user.len());
    for items in &mut per_user {
        items.sort_unstable();
        // Keep each item once, with its earliest time.
        items.dedup_by_key(|e| e.0);
        let n = items.len();
        let t = if n < 2 {
            0
        } else {
            ((test_fraction * n as f64).round() as usize).clamp(1, n - 1)
        };
        match kind {
            SplitKind::Random => rng.shuffle(items),
            SplitKind::Temporal => {
                items.sort_unstable_by_key(|&(i, time)| (time, i));
                items.reverse();
            }
        }
        test_items.push(items[..t].iter().map(|e| e.0).collect());
    }
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for r in 0..log.len() {
        let (u, i, _, _) = log.row(r);
        if test_items[u as usize].contains(&i) {
            test.push(r)
        } else {
            train.push(r)
        }
    }
    Ok(Split {
        train: log.select(&train),
        test: log.select(&test),
    })
}

/// Averaged ranking metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    /// Users evaluated.
    pub users: usize,
    /// Mean precision@k.
    pub precision: f64,
    /// Mean recall@k.
    pub recall: f64,
    /// Mean NDCG@k.
    pub ndcg: f64,
    /// Mean average precision@k.
    pub map: f64,
    /// Share of users with at least one hit.
    pub hit_rate: f64,
    /// Distinct items recommended / catalogue size.
    pub coverage: f64,
}

/// One user's ranking metrics at cut-off `k` (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UserMetrics {
    /// Precision@k.
    pub precision: f64,
    /// Recall@k.
    pub recall: f64,
    /// NDCG@k.
    pub ndcg: f64,
    /// Average precision@k.
    pub map: f64,
    /// At least one hit.
    pub hit: bool,
}

impl UserMetrics {
    /// Scores the first `k` of `recommended` against a non-empty `relevant` set.
    fn score(recommended: &[u32], relevant: &FxHashSet<u32>, k: usize) -> UserMetrics {
        let list = &recommended[..recommended.len().min(k)];
        let (mut hits, mut dcg, mut ap) = (0usize, 0.0, 0.0);
        for (i, item) in list.iter().enumerate() {
            if relevant.contains(item) {
                hits += 1;
                dcg += 1.0 / (i as f64 + 2.0).log2();
                ap += hits as f64 / (i + 1) as f64;
            }
        }
        let ideal = relevant.len().min(k);
        let idcg: f64 = (0..ideal).map(|i| 1.0 / (i as f64 + 2.0).log2()).sum();
        UserMetrics {
            precision: hits as f64 / k as f64,
            recall: hits as f64 / relevant.len() as f64,
            ndcg: dcg / idcg,
            map: ap / ideal as f64,
            hit: hits > 0,
        }
    }
}

/// Accumulates per-user metrics.
#[derive(Debug, Clone)]
pub struct MetricsAccumulator {
    k: usize,
    sums: Metrics,
    seen: FxHashSet<u32>,
}

impl MetricsAccumulator {
    /// Metrics at cut-off `k`.
    pub fn new(k: usize) -> MetricsAccumulator {
        MetricsAccumulator {
            k,
            sums: Metrics::default(),
            seen: FxHashSet::default(),
        }
    }

    /// Adds one user's ranked list against their relevant items, and
    /// returns that user's metrics (`None` when `relevant` is empty: the
    /// user is not counted).
    pub fn add(&mut self, recommended: &[u32], relevant: &FxHashSet<u32>) -> Option<UserMetrics> {
        if relevant.is_empty() {
            return None;
        }
        let list = &recommended[..recommended.len().min(self.k)];
        self.seen.extend(list.iter().copied());
        let user = UserMetrics::score(list, relevant, self.k);
        let s = &mut self.sums;
        s.users += 1;
        s.precision += user.precision;
        s.recall += user.recall;
        s.ndcg += user.ndcg;
        s.map += user.map;
        s.hit_rate += user.hit as u8 as f64;
        Some(user)
    }

    /// Averages over the users added.
    pub fn finish(&self, catalogue_len: usize) -> Metrics {
        let n = self.sums.users.max(1) as f64;
        Metrics {
            users: self.sums.users,
            precision: self.sums.precision / n,
            recall: self.sums.recall / n,
            ndcg: self.sums.ndcg / n,
            map: self.sums.map / n,
            hit_rate: self.sums.hit_rate / n,
            coverage: self.seen.len() as f64 / catalogue_len.max(1) as f64,
        }
    }
}

/// Evaluates `recommender` (fitted on `train`) against `test`: each user
/// with test items gets `query.k` recommendations from their training
/// history (training items excluded) and is scored against their test items.
/// `progress(done, total)` is called after each user.
///
/// # Errors
/// [`Error::InvalidConfig`] for bad query options.
pub fn evaluate(
    recommender: &Recommender,
    train: &UserItems,
    test: &UserItems,
    query: &CheckedQuery,
    progress: impl FnMut(usize, usize),
) -> Result<Metrics> {
    Ok(evaluate_users(recommender, train, test, query, progress)?.0)
}

/// As [`evaluate`], also returning each evaluated user's metrics, as
/// `(user index, metrics)` in ascending user order: the per-user values
/// that [`compare`] pairs across two recommenders.
///
/// # Errors
/// [`Error::InvalidConfig`] for bad query options.
pub fn evaluate_users(
    recommender: &Recommender,
    train: &UserItems,
    test: &UserItems,
    query: &CheckedQuery,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Metrics, Vec<(u32, UserMetrics)>)> {
    if query.k == 0 {
        return Err(Error::config("k", "must be ≥ 1 for evaluation, got 0"));
    }
    let mut acc = MetricsAccumulator::new(query.k);
    let users: Vec<usize> = (0..test.matrix.rows())
        .filter(|&u| test.matrix.row_len(u) > 0)
        .collect();
    let mut per_user = Vec::with_capacity(users.len());
    for (n, &u) in users.iter().enumerate() {
        let half_life = recommender.half_life_days(query);
        let history = if u < train.matrix.rows() {
            decay(train.history(u).collect(), half_life, query.now)
        } else {
            WeightedHistory::default()
        };
        // The user's own training row must not count as a similar shopper.
        let own = (u < train.matrix.rows()).then_some(u as u32);
        let recs = recommender.recommend_history(&history, own, query)?;
        let items: Vec<u32> = recs.iter().map(|r| r.index).collect();
        let relevant: FxHashSet<u32> = test.matrix.row(u).0.iter().copied().collect();
        if let Some(metrics) = acc.add(&items, &relevant) {
            per_user.push((u as u32, metrics));
        }
        progress(n + 1, users.len());
    }
    Ok((acc.finish(recommender.catalogue().len()), per_user))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn metrics_by_hand() {
        // k = 3, relevant {1, 5}, list [1, 2, 5]: hits at ranks 1 and 3.
        // precision 2/3, recall 1, hit 1;
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.630930; NDCG = 0.919721;
        // AP = (1/1 + 2/3)/min(3, 2) = 0.833333.
        let mut acc = MetricsAccumulator::new(3);
        acc.add(&[1, 2, 5], &[1, 5].into_iter().collect());
        // A second user with no hit: everything 0.
        acc.add(&[7, 8, 9], &[3].into_iter().collect());
        let m = acc.finish(10);
        assert_eq!(m.users, 2);
        assert!(close(m.precision, 2.0 / 3.0 / 2.0));
        assert!(close(m.recall, 0.5));
        assert!(
            close(m.ndcg, 0.919721 / 2.0) || (m.ndcg - 0.919721 / 2.0).abs() < 1e-6,
            "{}",
            m.ndcg
        );
        assert!((m.map - 0.833333 / 2.0).abs() < 1e-6);
        assert!(close(m.hit_rate, 0.5));
        assert!(close(m.coverage, 0.6));
    }

    fn log() -> Interactions {
        let mut log = Interactions::new(10);
        for i in 0..10 {
            log.push("a", i, 1.0, Some(100 - i as i64)).unwrap();
        }
        log.push("b", 3, 1.0, None).unwrap();
        log
    }

    #[test]
    fn temporal_split_takes_the_latest_items() {
        // User a saw item i at time 100 − i: the latest two are items 0 and 1.
        let s = split(&log(), SplitKind::Temporal, 0.2, 0).unwrap();
        let test: Vec<u32> = (0..s.test.len()).map(|r| s.test.row(r).1).collect();
        assert_eq!(test.len(), 2);
        assert!(test.contains(&0) && test.contains(&1), "{test:?}");
        // User b has one item: it stays in training.
        assert_eq!(s.train.len(), 9);
    }

    #[test]
    fn random_split_is_seeded() {
        let items = |s: &Split| {
            (0..s.test.len())
                .map(|r| s.test.row(r).1)
                .collect::<Vec<_>>()
        };
        let a = split(&log(), SplitKind::Random, 0.3, 7).unwrap();
        let b = split(&log(), SplitKind::Random, 0.3, 7).unwrap();
        assert_eq!(items(&a), items(&b));
        assert_eq!(items(&a).len(), 3);
        assert_eq!(
            split(&log(), SplitKind::Random, 1.0, 7).unwrap_err().code(),
            "invalid_config"
        );
    }
}
