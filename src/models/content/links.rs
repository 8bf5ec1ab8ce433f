//! Content neighbours precomputed at build time: each item's `K` most
//! similar items by content cosine, and for each link the features that
//! explain it. A model index ships these instead of the vectors so that a
//! page fetches the lists of the items its query starts from, not the
//! vectors of every item; the lists score like item-kNN's.
//!
//! **What it approximates.** The live content model scores a history by
//! the cosine of every item with the profile `Σ h_i v_i` (normalised, cut
//! to its strongest features). Without the cut that is, up to a factor the
//! blend's normalisation removes, `Σ_i h_i cos(i, j)`: what the lists
//! give, except that a link outside `i`'s top `K` counts 0. For "similar
//! products" (one item, `k ≤ K`) the lists give the live fit's ranking.

use super::{ContentModel, Feature};
use crate::data::catalogue::{Catalogue, Role};
use crate::models::neighbours::Neighbours;
use crate::models::{Evidence, Model, QueryContext, Reason, Scorer};
use crate::parallel::in_parallel;
use crate::sparse::{sort_by_index, sparse_dot};
use crate::topk::{top_k_iter, Scored};

/// The features that explain one link: `(feature id, share of the link's
/// cosine)`, strongest first.
pub type LinkFeatures = Vec<(u32, f32)>;

/// Features kept per link to explain it.
pub const LINK_FEATURES: usize = 2;

/// Content neighbour lists with their explanations.
#[derive(Debug, Clone)]
pub struct ContentLinks {
    links: Neighbours,
    /// Per item, per link in the order of its row, the explaining features.
    explained: Vec<Vec<LinkFeatures>>,
    features: Vec<Feature>,
    /// Name and role of each content field, by field index.
    fields: Vec<(String, Role)>,
}

impl ContentLinks {
    /// Each item's `k` most similar items by cosine (ties to the lower
    /// index; links ≤ 0 and the item itself left out), each with at most
    /// [`LINK_FEATURES`] explaining features. Rows are independent, so
    /// they are computed on every core natively, in chunks joined in order
    /// (the result does not depend on the number of threads).
    pub fn fit(content: &ContentModel, k: usize) -> ContentLinks {
        let n = content.item_count();
        let finder = Finder::new(content);
        let rows_of = |range: std::ops::Range<usize>| {
            let mut scratch = Scratch::new(n);
            range
                .map(|i| {
                    let row = finder.top_k(i as u32, k, &mut scratch);
                    let query = content.item_query(i as u32);
                    let explained = row
                        .iter()
                        .map(|&(j, cos)| {
                            content
                                .explain(&query, j, LINK_FEATURES)
                                .into_iter()
                                .map(|s| (s.feature, s.weight / cos))
                                .collect()
                        })
                        .collect();
                    (row, explained)
                })
                .collect::<Vec<_>>()
        };
        let all = in_parallel(n, 1_000, &rows_of);
        let (rows, explained) = all.into_iter().unzip();
        let fields = content
            .field_names
            .iter()
            .cloned()
            .zip(content.field_roles.iter().copied())
            .collect();
        ContentLinks::from_parts(rows, explained, content.features.clone(), fields)
    }

    /// Lists from their parts (a model index): `rows[i]` holds `i`'s links
    /// by item index, `explained[i]` their features in the same order.
    pub fn from_parts(
        rows: Vec<Vec<Scored>>,
        explained: Vec<Vec<LinkFeatures>>,
        features: Vec<Feature>,
        fields: Vec<(String, Role)>,
    ) -> ContentLinks {
        ContentLinks {
            links: Neighbours::from_rows(rows),
            explained,
            features,
            fields,
        }
    }

    /// The links of `item` and their cosines.
    pub fn neighbours(&self, item: u32) -> (&[u32], &[f32]) {
        self.links.of(item)
    }

    /// The explaining features of `item`'s links, in the order of its row.
    pub fn explained(&self, item: u32) -> &[LinkFeatures] {
        &self.explained[item as usize]
    }

    /// Cosine of `a` and `b` if `b` is among `a`'s links, else 0.
    pub fn similarity(&self, a: u32, b: u32) -> f32 {
        self.links.get(a, b)
    }

    /// Total number of links.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// True when no item has a link.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The features `from`'s link to `to` is explained by, or none.
    fn link_features(&self, from: u32, to: u32) -> &[(u32, f32)] {
        let (ids, _) = self.neighbours(from);
        match ids.binary_search(&to) {
            Ok(k) => &self.explained[from as usize][k],
            Err(_) => &[],
        }
    }
}

impl Scorer for ContentLinks {
    fn kind(&self) -> Model {
        Model::Content
    }

    /// `Σ_i h_i · cos(i, j)` over the query items' links.
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence {
        self.links.score(query.items, out);
        Evidence::default()
    }

    /// The features behind the links of the query items that contributed
    /// most (at most 3 reasons, each feature once), weighted by their share
    /// of each contribution.
    fn explain(
        &self,
        query: &QueryContext,
        _: &Evidence,
        item: u32,
        catalogue: &Catalogue,
    ) -> Vec<Reason> {
        let mut shared: Vec<(u32, f32)> = Vec::new();
        for (from, contribution) in self.links.explain(query.items, item, 3) {
            for &(f, share) in self.link_features(from, item) {
                match shared.iter_mut().find(|(g, _)| *g == f) {
                    Some(s) => s.1 += share * contribution,
                    None => shared.push((f, share * contribution)),
                }
            }
        }
        shared.sort_by(crate::topk::rank_order);
        shared.truncate(3);
        shared
            .into_iter()
            .map(|(f, weight)| {
                let feature = &self.features[f as usize];
                let (name, role) = &self.fields[feature.field as usize];
                super::shared_reason(name, *role, &feature.value, weight, item, catalogue)
            })
            .collect()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Finds an item's nearest neighbours by cosine without scanning every
/// posting: MaxScore pruning (Turtle & Flood 1995), written here because
/// it needs the content model's own postings. The query's features are
/// taken by their upper bound `q_f · max_j w_jf`, largest first, adding
/// their postings to partial sums. Once the bounds of the features left
/// add up to less than the `k`-th best partial sum, no item not seen yet
/// can reach the top `k`, so the rest is skipped; the candidates that may
/// still reach it are scored exactly (`sparse_dot`, the same additions in
/// the same order as the live model's scoring, so the same cosines). On a
/// generated 100k-item shop, where common words and price buckets are in
/// tens of thousands of items, this skips most of the work.
struct Finder<'a> {
    content: &'a ContentModel,
    /// Each feature's largest weight over all items.
    max_weight: Vec<f32>,
}

/// Per-thread scratch: partial sums and the items touched.
struct Scratch {
    sums: Vec<f32>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            sums: vec![0.0; n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }
}

impl<'a> Finder<'a> {
    fn new(content: &'a ContentModel) -> Finder<'a> {
        let max_weight = (0..content.feature_count())
            .map(|f| {
                let (_, ws) = content.postings.row(f);
                ws.iter().copied().fold(0.0, f32::max)
            })
            .collect();
        Finder {
            content,
            max_weight,
        }
    }

    /// Item `i`'s `k` nearest items, sorted by item index.
    fn top_k(&self, i: u32, k: usize, scratch: &mut Scratch) -> Vec<Scored> {
        let content = self.content;
        let mut query = content.item_query(i);
        let bound = |&(f, q): &(u32, f32)| q * self.max_weight[f as usize];
        query.sort_by(|a, b| bound(b).total_cmp(&bound(a)).then(a.0.cmp(&b.0)));
        // left[t]: the most the features from t on can add to any item.
        let mut left = vec![0f32; query.len() + 1];
        for t in (0..query.len()).rev() {
            left[t] = left[t + 1] + bound(&query[t]);
        }
        let mut stop = query.len();
        for (t, &(f, q)) in query.iter().enumerate() {
            let (items, weights) = content.postings.row(f as usize);
            // Checking costs a pass over the candidates: worth it before a
            // long posting list only.
            if scratch.touched.len() > k
                && items.len() > scratch.touched.len() / 4
                && left[t] < self.kth_best(i, k, scratch)
            {
                stop = t;
                break;
            }
            for (&j, &w) in items.iter().zip(weights) {
                let slot = j as usize;
                if !scratch.seen[slot] {
                    scratch.seen[slot] = true;
                    scratch.touched.push(j);
                }
                scratch.sums[slot] += q * w;
            }
        }
        // Partial sums only grow to the exact cosines, so the k-th best
        // partial sum is a lower bound of the k-th best cosine.
        let threshold = self.kth_best(i, k, scratch);
        let own = content.vector(i);
        let finalists = scratch
            .touched
            .iter()
            .filter(|&&j| j != i && scratch.sums[j as usize] + left[stop] >= threshold)
            .map(|&j| (j, sparse_dot(own, content.vector(j))))
            .filter(|&(_, s)| s > 0.0);
        let mut row = top_k_iter(finalists, k);
        sort_by_index(&mut row);
        for &j in &scratch.touched {
            scratch.sums[j as usize] = 0.0;
            scratch.seen[j as usize] = false;
        }
        scratch.touched.clear();
        row
    }

    /// The `k`-th largest partial sum among the items touched, `i` left
    /// out (0 with fewer).
    fn kth_best(&self, i: u32, k: usize, scratch: &Scratch) -> f32 {
        let mut sums: Vec<f32> = scratch
            .touched
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| scratch.sums[j as usize])
            .collect();
        if sums.len() < k || k == 0 {
            return 0.0;
        }
        let (_, kth, _) = sums.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
        *kth
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::CatalogueConfig;
    use crate::models::content::ContentConfig;
    use crate::topk::top_k_dense;

    /// 400 items drawing words from small and large pools, so some
    /// postings hold most items (where pruning skips work) and some few.
    fn catalogue() -> Catalogue {
        let mut rng = fastrand::Rng::with_seed(7);
        let items: Vec<String> = (0..400)
            .map(|i| {
                let common: Vec<String> = (0..4).map(|_| format!("c{}", rng.usize(0..6))).collect();
                let rare: Vec<String> = (0..3).map(|_| format!("r{}", rng.usize(0..300))).collect();
                format!(
                    r#"{{"id": "i{i}", "title": "{} {}", "category": "k{}", "price": {}}}"#,
                    common.join(" "),
                    rare.join(" "),
                    rng.usize(0..5),
                    rng.usize(1..500)
                )
            })
            .collect();
        Catalogue::from_json(
            format!("[{}]", items.join(",")),
            &CatalogueConfig::default(),
        )
        .unwrap()
    }

    #[test]
    fn pruned_neighbours_are_the_exhaustive_top_k() {
        let content = ContentModel::fit(&catalogue(), &ContentConfig::default());
        let n = content.item_count();
        let links = ContentLinks::fit(&content, 10);
        for i in 0..n as u32 {
            let mut scores = vec![0f32; n];
            content.score_query(&content.item_query(i), &mut scores);
            let mut expected = top_k_dense(&scores, 10, 0.0, |j| j != i);
            sort_by_index(&mut expected);
            let (ids, cos) = links.neighbours(i);
            let got: Vec<Scored> = ids.iter().copied().zip(cos.iter().copied()).collect();
            assert_eq!(got, expected, "item {i}");
            assert!(links.explained(i).iter().all(|f| !f.is_empty()));
        }
    }
}
