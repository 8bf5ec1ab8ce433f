//! Content-based model: items as L2-normalised sparse feature vectors,
//! similarity by cosine.
//!
//! Each field with a role makes one block of the vector:
//!
//! * **Text**, BM25 (default): `w(t, d) = idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d|/avgdl))`
//!   with `idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5))`, `k1 = 1.2`, `b = 0.75`;
//!   or TF-IDF: `w(t, d) = (1 + ln tf) · (ln((1 + N)/(1 + df)) + 1)`.
//!   `N` counts items that have the field, `|d|` is the item's token count
//!   and `avgdl` its mean. Tokens come from [`crate::data::text`].
//! * **Categorical**: one feature per value (case-folded), weight
//!   `ln((1 + N)/(1 + df)) + 1`, so rare tags count more than common ones.
//! * **Numeric**: the catalogue's values are cut into `B` quantile buckets
//!   (default 8); an item gets weight 1 on its bucket and 0.5 on each
//!   neighbouring bucket, so close prices overlap and scale does not matter.
//!
//! Each block is L2-normalised and multiplied by the field's weight; the
//! whole vector is then L2-normalised. The cosine of two items is thus
//! `Σ_f w_f² cos_f / (‖·‖‖·‖)`: field weights set each field's share.
//!
//! A user profile is `Σ_i h_i · v_i` over the history (weights `h_i` from
//! [`crate::data::history`]), normalised and cut to its strongest
//! `profile_features` entries, and scored against all items through an
//! inverted index.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::data::catalogue::{Catalogue, FieldValues, Role};
use crate::data::text::for_each_token;
use crate::error::{Error, Result};
use crate::models::{Evidence, Model, QueryContext, Reason, Scorer};
use crate::sparse::{sort_by_index, sparse_dot, Csr};
use crate::topk::rank_order;

mod features;
mod links;

use features::normalize;
pub use features::{count, weigh, ContentCounts};
pub use links::{ContentLinks, LinkFeatures, LINK_FEATURES};

/// How text fields are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TextWeighting {
    /// Okapi BM25 term weights (default).
    #[default]
    Bm25,
    /// Log-scaled TF times smoothed IDF.
    TfIdf,
}

/// Options of the content model.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ContentConfig {
    /// Text term weighting. Default BM25.
    pub text_weighting: TextWeighting,
    /// BM25 term-frequency saturation `k1` (> 0). Default 1.2.
    pub bm25_k1: f32,
    /// BM25 length normalisation `b` (0–1). Default 0.75.
    pub bm25_b: f32,
    /// Quantile buckets for numeric fields (2–100). Default 8.
    pub numeric_buckets: usize,
    /// Most features kept in a user profile, strongest first (≥ 1). Bounds
    /// the cost of a query. Default 256.
    pub profile_features: usize,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            text_weighting: TextWeighting::Bm25,
            bm25_k1: 1.2,
            bm25_b: 0.75,
            numeric_buckets: 8,
            profile_features: 256,
        }
    }
}

impl ContentConfig {
    /// Checks every option's range.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the option, the value and the range.
    pub fn validate(&self) -> Result<()> {
        if !(self.bm25_k1.is_finite() && self.bm25_k1 > 0.0) {
            return Err(Error::config(
                "content.bm25K1",
                format!("must be > 0, got {}", self.bm25_k1),
            ));
        }
        if !(0.0..=1.0).contains(&self.bm25_b) {
            return Err(Error::config(
                "content.bm25B",
                format!("must be between 0 and 1, got {}", self.bm25_b),
            ));
        }
        if !(2..=100).contains(&self.numeric_buckets) {
            return Err(Error::config(
                "content.numericBuckets",
                format!("must be between 2 and 100, got {}", self.numeric_buckets),
            ));
        }
        if self.profile_features == 0 {
            return Err(Error::config(
                "content.profileFeatures",
                "must be ≥ 1, got 0",
            ));
        }
        Ok(())
    }
}

/// What a feature stands for, for explanations.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// Index of the catalogue field.
    pub field: u16,
    /// The token, the category value (as the catalogue first spelled it:
    /// values that differ only in case are one feature), or the numeric
    /// range (`"9.5–12"`).
    pub value: String,
}

/// A catalogue field as the content model sees it (and a model index's
/// manifest lists it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContentField {
    /// Field name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Weight of its block in item vectors (0: not in the vectors).
    pub weight: f32,
}

impl ContentField {
    /// Every field of a catalogue, in field order.
    pub fn all_of(catalogue: &Catalogue) -> Vec<ContentField> {
        catalogue
            .fields()
            .iter()
            .map(|f| ContentField {
                name: f.name.clone(),
                role: f.role(),
                weight: f.weight,
            })
            .collect()
    }
}

/// A shared feature behind a content match.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedFeature {
    /// The feature's id.
    pub feature: u32,
    /// Index of the catalogue field.
    pub field_index: usize,
    /// Role of the field.
    pub role: Role,
    /// Field name (`"title"`, `"category"`, …).
    pub field: String,
    /// The shared token, value or numeric range.
    pub value: String,
    /// Its share of the cosine (the product of the two weights).
    pub weight: f32,
}

/// A fitted content model.
#[derive(Debug, Clone)]
pub struct ContentModel {
    vectors: Csr,
    postings: Csr,
    features: Vec<Feature>,
    field_names: Vec<String>,
    field_roles: Vec<Role>,
    /// Text tokens and category values → their feature ids, for free-text queries.
    lookup: FxHashMap<String, Vec<u32>>,
    config: ContentConfig,
    /// Made for search only: postings of some features, no item vectors.
    search_only: bool,
}

/// Words too common to explain anything (explanations only: the index keeps
/// them, and BM25's IDF already gives them little weight).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "our", "the", "this", "to", "with", "you", "your",
];

impl ContentModel {
    /// Builds item vectors from the catalogue's fields: counts them
    /// ([`count`]), then weighs the counts ([`weigh`]).
    ///
    /// The config is trusted: it comes from a [`crate::config::CheckedConfig`].
    pub fn fit(catalogue: &Catalogue, config: &ContentConfig) -> ContentModel {
        debug_assert!(config.validate().is_ok(), "configs are checked at the edge");
        let fields = ContentField::all_of(catalogue);
        ContentModel::from_counts(count(catalogue, config), fields, config)
    }

    /// A model from feature counts (a model index stores them): weighs
    /// them ([`weigh`]) as the live fit does, so the vectors are the same
    /// bit for bit. `fields` names each catalogue field, its role and weight.
    pub fn from_counts(
        counts: ContentCounts,
        fields: Vec<ContentField>,
        config: &ContentConfig,
    ) -> ContentModel {
        let roles: Vec<(Role, f32)> = fields.iter().map(|f| (f.role, f.weight)).collect();
        let vectors = weigh(&counts, &roles, config);
        let fields = fields.into_iter().map(|f| (f.name, f.role)).collect();
        ContentModel::from_parts(vectors, counts.features, fields, config)
    }

    /// A model for search only, from the postings of some features (a model
    /// index's term shards; the other features' rows are empty): `postings`
    /// is features × items. It has no item vectors, so it cannot rank by
    /// similarity ([`ContentModel::has_vectors`] is false).
    pub fn for_search(
        postings: Csr,
        features: Vec<Feature>,
        fields: Vec<(String, Role)>,
        config: &ContentConfig,
    ) -> ContentModel {
        let items = postings.cols();
        let mut model = ContentModel::from_parts(
            Csr::from_rows(features.len(), vec![Vec::new(); items]),
            features,
            fields,
            config,
        );
        model.postings = postings;
        model.search_only = true;
        model
    }

    /// False for a model made for search only ([`ContentModel::for_search`]).
    pub fn has_vectors(&self) -> bool {
        !self.search_only
    }

    /// The postings of feature `f`: the items that have it and its weight in each.
    pub fn postings(&self, f: u32) -> (&[u32], &[f32]) {
        self.postings.row(f as usize)
    }

    /// A model from item vectors made elsewhere (a model index): `vectors`
    /// is items × features, `features` says what each stands for, `fields`
    /// names each catalogue field and its role.
    pub fn from_parts(
        vectors: Csr,
        features: Vec<Feature>,
        fields: Vec<(String, Role)>,
        config: &ContentConfig,
    ) -> ContentModel {
        let postings = vectors.transpose();
        let (field_names, field_roles): (Vec<String>, Vec<Role>) = fields.into_iter().unzip();
        let mut lookup: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut folded = String::new();
        for (id, feature) in features.iter().enumerate() {
            // A category value is kept as the catalogue spelled it ("Jade
            // Hill"), for explanations; it matches case-folded.
            let key = match field_roles[feature.field as usize] {
                Role::Numeric => continue,
                Role::Categorical => features::fold_case(&feature.value, &mut folded),
                _ => feature.value.as_str(),
            };
            lookup.entry(key.to_string()).or_default().push(id as u32);
        }
        ContentModel {
            vectors,
            postings,
            features,
            field_names,
            field_roles,
            lookup,
            config: config.clone(),
            search_only: false,
        }
    }

    /// What each feature stands for, by feature id.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// Each catalogue field's name and role, by field index.
    pub fn fields(&self) -> impl Iterator<Item = (&str, Role)> + '_ {
        self.field_names
            .iter()
            .map(String::as_str)
            .zip(self.field_roles.iter().copied())
    }

    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.vectors.rows()
    }

    /// A query vector for free text: each token of `text` (tokenised as
    /// product text is) counts once for every text feature and single-word
    /// category or tag it equals, and the whole text, case-folded, for a
    /// category or tag value it equals (`"home decor"`). Normalised; empty
    /// when nothing matches.
    pub fn text_query(&self, text: &str) -> Vec<(u32, f32)> {
        let mut q: FxHashMap<u32, f32> = FxHashMap::default();
        let mut add = |key: &str| {
            for &f in self.lookup.get(key).into_iter().flatten() {
                *q.entry(f).or_insert(0.0) += 1.0;
            }
        };
        for_each_token(text, &mut add);
        // Multi-word category values ("home decor"); one word was a token above.
        let whole = text.trim().to_lowercase();
        if whole.contains(char::is_whitespace) {
            let categorical = |f: &&u32| {
                self.field_roles[self.features[**f as usize].field as usize] == Role::Categorical
            };
            for &f in self
                .lookup
                .get(&whole)
                .into_iter()
                .flatten()
                .filter(categorical)
            {
                *q.entry(f).or_insert(0.0) += 1.0;
            }
        }
        let mut query: Vec<(u32, f32)> = q.into_iter().collect();
        sort_by_index(&mut query);
        normalize(&mut query);
        query
    }

    /// Number of distinct features.
    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// The item's normalised feature vector.
    pub fn vector(&self, item: u32) -> (&[u32], &[f32]) {
        self.vectors.row(item as usize)
    }

    /// Cosine similarity of two items.
    pub fn similarity(&self, a: u32, b: u32) -> f32 {
        sparse_dot(self.vector(a), self.vector(b))
    }

    /// Adds the cosine of a sparse query vector with every item into `out`.
    pub fn score_query(&self, query: &[(u32, f32)], out: &mut [f32]) {
        for &(f, q) in query {
            let (items, weights) = self.postings.row(f as usize);
            for (&i, &w) in items.iter().zip(weights) {
                out[i as usize] += q * w;
            }
        }
    }

    /// The item's own vector as a query.
    pub fn item_query(&self, item: u32) -> Vec<(u32, f32)> {
        let (ids, ws) = self.vector(item);
        ids.iter().copied().zip(ws.iter().copied()).collect()
    }

    /// The profile of a weighted history: `Σ h_i v_i`, normalised, cut to
    /// the strongest `profile_features` features (sorted by feature id).
    pub fn profile(&self, history: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let mut acc: FxHashMap<u32, f32> = FxHashMap::default();
        for &(item, h) in history {
            let (ids, ws) = self.vector(item);
            for (&f, &w) in ids.iter().zip(ws) {
                *acc.entry(f).or_insert(0.0) += h * w;
            }
        }
        let mut profile: Vec<(u32, f32)> = acc.into_iter().filter(|&(_, w)| w > 0.0).collect();
        // Strongest first, ties by feature id, so the cut is deterministic.
        profile.sort_unstable_by(rank_order);
        profile.truncate(self.config.profile_features);
        sort_by_index(&mut profile);
        normalize(&mut profile);
        profile
    }

    /// The features `query` and `item` share, by their share of the cosine,
    /// strongest first (at most `max`). Common function words (`for`,
    /// `with`, …) and one-letter Latin tokens are left out, and a numeric
    /// field is named once (its neighbouring buckets overlap).
    pub fn explain(&self, query: &[(u32, f32)], item: u32, max: usize) -> Vec<SharedFeature> {
        // From the postings, not the item's vector: a model for search only
        // has the postings of the query's features and no vectors.
        let mut shared: Vec<(u32, f32)> = query
            .iter()
            .filter_map(|&(f, q)| {
                let (items, ws) = self.postings.row(f as usize);
                items.binary_search(&item).ok().map(|k| (f, q * ws[k]))
            })
            .collect();
        shared.sort_unstable_by(rank_order);
        let mut out: Vec<SharedFeature> = Vec::new();
        for (f, w) in shared {
            let feature = &self.features[f as usize];
            let field = feature.field as usize;
            let role = self.field_roles[field];
            let trivial = role == Role::Text
                && (STOP_WORDS.contains(&feature.value.as_str())
                    || feature.value.len() == 1 && feature.value.is_ascii());
            let repeated = role == Role::Numeric && out.iter().any(|s| s.field_index == field);
            if trivial || repeated {
                continue;
            }
            out.push(SharedFeature {
                feature: f,
                field_index: field,
                role,
                field: self.field_names[field].clone(),
                value: feature.value.clone(),
                weight: w,
            });
            if out.len() == max {
                break;
            }
        }
        out
    }
}

impl ContentModel {
    /// The features `item` shares with a query vector, as reasons (at most
    /// 3). A numeric match is shown with the item's own value ("price
    /// 89.5"), not the bucket range that happened to overlap.
    pub fn reasons(&self, query: &[(u32, f32)], item: u32, catalogue: &Catalogue) -> Vec<Reason> {
        self.explain(query, item, 3)
            .into_iter()
            .map(|s| shared_reason(&s.field, s.role, &s.value, s.weight, item, catalogue))
            .collect()
    }
}

/// A shared feature as a reason. A numeric match is shown with the item's
/// own value ("price 89.5"), not the bucket range that happened to overlap;
/// the field is found by name, since a catalogue read from a model index
/// holds only the fields filters and explanations need.
fn shared_reason(
    field: &str,
    role: Role,
    value: &str,
    weight: f32,
    item: u32,
    catalogue: &Catalogue,
) -> Reason {
    let own = catalogue.fields().iter().find(|f| f.name == field);
    let value = match (own.map(|f| &f.values), role) {
        (Some(FieldValues::Numeric(v)), Role::Numeric) => v
            .get(item as usize)
            .copied()
            .flatten()
            .map_or_else(|| value.to_string(), |x| format!("{x}")),
        _ => value.to_string(),
    };
    Reason::SharedFeature {
        field: field.to_string(),
        value,
        weight,
    }
}

impl Scorer for ContentModel {
    fn kind(&self) -> Model {
        Model::Content
    }

    /// The cosine of every item with the query vector: the query item's own
    /// vector, or the history's [`ContentModel::profile`]; that vector is
    /// the evidence (feature, weight).
    fn score(&self, query: &QueryContext, out: &mut [f32]) -> Evidence {
        let vector = match query.item {
            Some(item) => self.item_query(item),
            None => self.profile(query.items),
        };
        self.score_query(&vector, out);
        Evidence(vector)
    }

    fn explain(
        &self,
        _: &QueryContext,
        evidence: &Evidence,
        item: u32,
        catalogue: &Catalogue,
    ) -> Vec<Reason> {
        self.reasons(&evidence.0, item, catalogue)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::CatalogueConfig;

    pub(super) fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-5
    }

    pub(super) fn model(json: &str, config: &ContentConfig) -> ContentModel {
        ContentModel::fit(
            &Catalogue::from_json(json, &CatalogueConfig::default()).unwrap(),
            config,
        )
    }

    #[test]
    fn categorical_idf_and_cosine_by_hand() {
        // Three items, one categorical field "tags" (its weight does not
        // matter after normalisation, since there is one block).
        // df: a = 2, b = 1, c = 2; N = 3.
        // idf(a) = idf(c) = ln(4/3) + 1 = 1.287682, idf(b) = ln(4/2) + 1 = 1.693147.
        // v0 = (a, b)/‖·‖, v1 = (a, c)/‖·‖:
        // cos = idf(a)² / (sqrt(idf(a)² + idf(b)²) · sqrt(2)·idf(a))
        //     = 1.287682 / (2.127164 · 1.414214) = 0.428046.
        let m = model(
            r#"[{"id": 0, "tags": ["a", "b"]}, {"id": 1, "tags": ["a", "c"]}, {"id": 2, "tags": ["c"]}]"#,
            &ContentConfig::default(),
        );
        assert!(
            close(m.similarity(0, 1), 0.428046),
            "{}",
            m.similarity(0, 1)
        );
        assert!(close(m.similarity(0, 0), 1.0));
        assert_eq!(m.similarity(0, 2), 0.0);
        // v1 · v2 = idf(c)² / (sqrt(2)·idf(c) · idf(c)) = 1/sqrt(2)
        assert!(
            close(m.similarity(1, 2), std::f32::consts::FRAC_1_SQRT_2),
            "{}",
            m.similarity(1, 2)
        );
    }

    #[test]
    fn bm25_weights_by_hand() {
        // title "red red mug" (len 3) and "blue mug" (len 2): avgdl = 2.5, N = 2.
        // idf(red) = ln(1 + (2 − 1 + 0.5)/(1 + 0.5)) = ln 2 = 0.693147
        // idf(mug) = ln(1 + 0.5/2.5) = ln 1.2 = 0.182322
        // item 0: K = 1.2·(0.25 + 0.75·3/2.5) = 1.38
        //   w(red) = 0.693147 · 2·2.2/(2 + 1.38) = 0.902322
        //   w(mug) = 0.182322 · 1·2.2/(1 + 1.38) = 0.168533
        // item 1: K = 1.2·(0.25 + 0.75·2/2.5) = 1.02; w(mug) = 0.182322·2.2/2.02 = 0.198569,
        //   w(blue) = 0.693147·2.2/2.02 = 0.754912
        // cos = 0.168533·0.198569 / (‖v0‖‖v1‖), ‖v0‖ = 0.917925, ‖v1‖ = 0.780591
        //     = 0.033465 / 0.716525 = 0.046705
        let m = model(
            r#"[{"id": 0, "title": "red red mug"}, {"id": 1, "title": "Blue MUG"}]"#,
            &ContentConfig::default(),
        );
        assert!(
            close(m.similarity(0, 1), 0.046705),
            "{}",
            m.similarity(0, 1)
        );
    }

    #[test]
    fn tfidf_weights_by_hand() {
        // Same titles, TF-IDF: N = 2.
        // w0(red) = (1 + ln 2)·(ln(3/2) + 1) = 1.693147·1.405465 = 2.379660
        // w0(mug) = 1·(ln(3/3) + 1) = 1
        // w1(blue) = 1.405465, w1(mug) = 1
        // cos = 1 / (sqrt(2.37966² + 1)·sqrt(1.405465² + 1)) = 1/(2.581237·1.724914) = 0.224598
        let config = ContentConfig {
            text_weighting: TextWeighting::TfIdf,
            ..Default::default()
        };
        let m = model(
            r#"[{"id": 0, "title": "red red mug"}, {"id": 1, "title": "Blue MUG"}]"#,
            &config,
        );
        assert!(
            close(m.similarity(0, 1), 0.224598),
            "{}",
            m.similarity(0, 1)
        );
    }

    #[test]
    fn numeric_buckets_overlap_neighbours() {
        // Prices 1, 2, 3, 4 with 4 buckets: one per price. Adjacent prices
        // share a half-weight bucket; prices two apart share less; far apart nothing.
        let config = ContentConfig {
            numeric_buckets: 4,
            ..Default::default()
        };
        let m = model(
            r#"[{"id": 0, "price": 1}, {"id": 1, "price": 2}, {"id": 2, "price": 3}, {"id": 3, "price": 4}]"#,
            &config,
        );
        // v0 = (1, 0.5)/‖·‖ over buckets 0,1; v1 = (0.5, 1, 0.5)/‖·‖ over 0,1,2.
        // cos = (0.5 + 0.5)/(sqrt(1.25)·sqrt(1.5)) = 0.730297
        assert!(
            close(m.similarity(0, 1), 0.730297),
            "{}",
            m.similarity(0, 1)
        );
        // v0·v2 = 0.5·0.5/(1.118034·1.224745) = 0.182574
        assert!(close(m.similarity(0, 2), 0.182574));
        assert_eq!(m.similarity(0, 3), 0.0);
    }

    #[test]
    fn field_weights_set_each_fields_share() {
        // Items 0 and 1 share the category only, items 0 and 2 the title
        // only. Each block holds one feature, so after block normalisation
        // v0 = (w_title, w_category)/‖·‖.
        // Default weights 1 and 1: both pairs score 1/2.
        // Title weight 3: v0 = (3, 1)/sqrt(10): cos(0, 2) = 9/10, cos(0, 1) = 1/10.
        let json = r#"[{"id": 0, "title": "lamp", "category": "home"},
                       {"id": 1, "title": "chair", "category": "home"},
                       {"id": 2, "title": "lamp", "category": "garden"}]"#;
        let m = model(json, &ContentConfig::default());
        assert!(close(m.similarity(0, 1), 0.5) && close(m.similarity(0, 2), 0.5));
        let mut cc = CatalogueConfig::default();
        cc.fields.insert(
            "title".into(),
            crate::data::catalogue::FieldConfig {
                role: None,
                weight: Some(3.0),
            },
        );
        let m = ContentModel::fit(
            &Catalogue::from_json(json, &cc).unwrap(),
            &ContentConfig::default(),
        );
        assert!(close(m.similarity(0, 2), 0.9) && close(m.similarity(0, 1), 0.1));
    }

    #[test]
    fn cjk_titles_match_across_products() {
        let m = model(
            r#"[{"id": 0, "title": "无线蓝牙耳机"}, {"id": 1, "title": "蓝牙耳机 黑色"}, {"id": 2, "title": "陶瓷茶杯"}]"#,
            &ContentConfig::default(),
        );
        assert!(m.similarity(0, 1) > 0.3);
        assert_eq!(m.similarity(0, 2), 0.0);
        let why = m.explain(&m.item_query(0), 1, 3);
        let values: Vec<&str> = why.iter().map(|s| s.value.as_str()).collect();
        assert!(
            values.contains(&"蓝牙") && values.contains(&"耳机"),
            "{values:?}"
        );
    }

    #[test]
    fn profile_is_normalised_and_cut() {
        let config = ContentConfig {
            profile_features: 2,
            ..Default::default()
        };
        let m = model(
            r#"[{"id": 0, "tags": ["a", "b", "c"]}, {"id": 1, "tags": ["a"]}]"#,
            &config,
        );
        let p = m.profile(&[(0, 1.0), (1, 1.0)]);
        assert_eq!(p.len(), 2);
        assert!(close(p.iter().map(|(_, w)| w * w).sum::<f32>(), 1.0));
    }

    #[test]
    fn free_text_queries_match_tokens_and_values() {
        let m = model(
            r#"[{"id": 0, "title": "Wireless earbuds", "category": "Home Audio"},
                {"id": 1, "title": "无线蓝牙耳机", "category": "audio"},
                {"id": 2, "title": "Ceramic mug", "category": "kitchen"}]"#,
            &ContentConfig::default(),
        );
        let scores = |text: &str| {
            let mut out = vec![0.0; 3];
            m.score_query(&m.text_query(text), &mut out);
            out
        };
        // Case and accents fold as in product text.
        let s = scores("WIRELESS Earbüds");
        assert!(s[0] > 0.0 && s[1] == 0.0 && s[2] == 0.0, "{s:?}");
        // CJK: the bigram 蓝牙 matches inside a longer title.
        let s = scores("蓝牙");
        assert!(s[1] > 0.0 && s[0] == 0.0, "{s:?}");
        // A one-word category value, and a multi-word one.
        assert!(scores("kitchen")[2] > 0.0);
        assert!(scores("home audio")[0] > scores("home audio")[1]);
        // Nothing matches: an empty query.
        assert!(m.text_query("zzz").is_empty());
    }

    #[test]
    fn invalid_config_is_rejected() {
        let config = ContentConfig {
            bm25_b: 2.0,
            ..Default::default()
        };
        let e = config.validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "config content.bm25B: must be between 0 and 1, got 2"
        );
    }
}
