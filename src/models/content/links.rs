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
use crate::models::neighbours::{Accumulator, Neighbours};
use crate::models::{Evidence, Model, QueryContext, Reason, Scorer};
use crate::topk::Scored;

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
    /// [`LINK_FEATURES`] explaining features.
    pub fn fit(content: &ContentModel, k: usize) -> ContentLinks {
        let n = content.item_count();
        let mut acc = Accumulator::new(n);
        let mut rows = Vec::with_capacity(n);
        let mut explained = Vec::with_capacity(n);
        for i in 0..n as u32 {
            let query = content.item_query(i);
            for &(f, q) in &query {
                let (items, weights) = content.postings.row(f as usize);
                for (&j, &w) in items.iter().zip(weights) {
                    acc.add(j, q * w);
                }
            }
            let row = acc.take_top_k(k, Some(i), |_, sum, _| sum);
            explained.push(
                row.iter()
                    .map(|&(j, cos)| {
                        content
                            .explain(&query, j, LINK_FEATURES)
                            .into_iter()
                            .map(|s| (s.feature, s.weight / cos))
                            .collect()
                    })
                    .collect(),
            );
            rows.push(row);
        }
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
