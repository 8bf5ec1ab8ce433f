//! The content model in two steps, so the model index can store the first
//! and a reader repeat the second:
//!
//! 1. **Counting** ([`count`]): per catalogue field, the vocabulary and
//!    each item's features with a count: text tokens with their term
//!    frequency, categorical values with 1, and numeric buckets with 2 for
//!    the item's own bucket and 1 for each neighbouring one.
//! 2. **Weighing** ([`weigh`]): BM25 / TF-IDF for text, IDF for
//!    categorical values, `count / 2` for numeric buckets; each item's
//!    block is normalised, multiplied by the field weight, then the whole
//!    vector normalised. Document frequencies, documents per field and
//!    token totals are derived from the counts themselves, so weighing a
//!    model index's counts gives the live fit's vectors bit for bit.

use rustc_hash::FxHashMap;

use super::{ContentConfig, Feature, TextWeighting};
use crate::data::catalogue::{Catalogue, FieldValues, Role};
use crate::data::text::for_each_token;
use crate::limits;
use crate::sparse::Csr;

/// What the content model counts in a catalogue before weighing.
///
/// Feature ids of one field are contiguous, fields in field order, and each
/// item's entries are sorted by feature id (so grouped by field).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentCounts {
    /// What each feature stands for, by feature id.
    pub features: Vec<Feature>,
    /// Row offsets: item `i`'s entries are `offsets[i]..offsets[i + 1]`.
    pub offsets: Vec<usize>,
    /// Feature id of each entry.
    pub ids: Vec<u32>,
    /// Count of each entry (≥ 1; see the module documentation).
    pub counts: Vec<u32>,
}

impl ContentCounts {
    /// Number of items.
    pub fn items(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Item `i`'s feature ids and counts.
    pub fn row(&self, i: usize) -> (&[u32], &[u32]) {
        let r = self.offsets[i]..self.offsets[i + 1];
        (&self.ids[r.clone()], &self.counts[r])
    }
}

/// Collects features of one field: vocabulary and per-item counts.
struct Block<'a> {
    field: u16,
    vocab: FxHashMap<String, u32>,
    features: &'a mut Vec<Feature>,
}

impl Block<'_> {
    fn feature(&mut self, value: &str) -> u32 {
        self.feature_shown_as(value, value)
    }

    /// The feature for `key`; a new one is shown as `display` (a category
    /// value matches case-folded, but reads as the catalogue first spelled it).
    fn feature_shown_as(&mut self, key: &str, display: &str) -> u32 {
        if let Some(&id) = self.vocab.get(key) {
            return id;
        }
        let id = self.features.len() as u32;
        self.features.push(Feature {
            field: self.field,
            value: display.to_string(),
        });
        self.vocab.insert(key.to_string(), id);
        id
    }
}

/// Counts the features of every field with a weight above 0.
pub fn count(catalogue: &Catalogue, config: &ContentConfig) -> ContentCounts {
    let n = catalogue.len();
    let mut rows: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    let mut features = Vec::new();
    for (f, field) in catalogue.fields().iter().enumerate() {
        if field.weight == 0.0 {
            continue;
        }
        let mut block = Block {
            field: f as u16,
            vocab: FxHashMap::default(),
            features: &mut features,
        };
        let counted = match &field.values {
            FieldValues::Text(values) => text_counts(values, &mut block),
            FieldValues::Categorical(values) => categorical_counts(values, &mut block),
            FieldValues::Numeric(values) => {
                numeric_counts(values, config.numeric_buckets, &mut block)
            }
        };
        for (row, entries) in rows.iter_mut().zip(counted) {
            row.extend(entries);
        }
    }
    let mut out = ContentCounts {
        features,
        offsets: Vec::with_capacity(n + 1),
        ..ContentCounts::default()
    };
    out.offsets.push(0);
    for row in rows {
        for (id, c) in row {
            out.ids.push(id);
            out.counts.push(c);
        }
        out.offsets.push(out.ids.len());
    }
    out
}

fn text_counts(values: &[Option<String>], block: &mut Block) -> Vec<Vec<(u32, u32)>> {
    // One map for every item, emptied after each: a map per item cost an
    // allocation and its growth per item.
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    values
        .iter()
        .map(|value| {
            let mut len = 0usize;
            if let Some(text) = value {
                for_each_token(text, |t| {
                    if len < limits::MAX_TOKENS_PER_FIELD {
                        len += 1;
                        *counts.entry(block.feature(t)).or_insert(0) += 1;
                    }
                });
            }
            let mut terms: Vec<(u32, u32)> = counts.drain().collect();
            terms.sort_unstable();
            terms
        })
        .collect()
}

fn categorical_counts(values: &[Vec<String>], block: &mut Block) -> Vec<Vec<(u32, u32)>> {
    let mut folded = String::new();
    values
        .iter()
        .map(|item| {
            let mut feats: Vec<u32> = item
                .iter()
                .map(|v| block.feature_shown_as(fold_case(v, &mut folded), v))
                .collect();
            feats.sort_unstable();
            feats.dedup();
            feats.into_iter().map(|f| (f, 1)).collect()
        })
        .collect()
}

/// `value.to_lowercase()`, written into `buffer` without an allocation
/// per value when it is ASCII (where both fold the same).
pub(super) fn fold_case<'b>(value: &str, buffer: &'b mut String) -> &'b str {
    if value.is_ascii() {
        buffer.clear();
        buffer.push_str(value);
        buffer.make_ascii_lowercase();
    } else {
        *buffer = value.to_lowercase();
    }
    buffer
}

fn numeric_counts(
    values: &[Option<f64>],
    buckets: usize,
    block: &mut Block,
) -> Vec<Vec<(u32, u32)>> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_unstable_by(f64::total_cmp);
    let mut distinct = sorted.clone();
    distinct.dedup();
    let b = buckets.min(distinct.len()).max(1);
    // Bucket of x: ⌊b · (values below x) / n⌋, in 0..b.
    let bucket_of = |x: f64| (b * sorted.partition_point(|&v| v < x) / sorted.len()).min(b - 1);
    // Label each bucket with the range of values that fall in it.
    let mut ranges: Vec<Option<(f64, f64)>> = vec![None; b];
    for &x in &distinct {
        let r = &mut ranges[bucket_of(x)];
        *r = Some(r.map_or((x, x), |(lo, _)| (lo, x)));
    }
    let ids: Vec<Option<u32>> = ranges
        .iter()
        .map(|r| {
            r.map(|(lo, hi)| {
                block.feature(&if lo == hi {
                    format!("{lo}")
                } else {
                    format!("{lo}–{hi}")
                })
            })
        })
        .collect();
    values
        .iter()
        .map(|v| {
            let Some(x) = v else { return Vec::new() };
            let k = bucket_of(*x);
            let mut entries = Vec::with_capacity(3);
            // Own bucket 2 (weight 1), neighbours 1 (weight 0.5).
            for (bucket, c) in [(k.wrapping_sub(1), 1), (k, 2), (k + 1, 1)] {
                if let Some(Some(id)) = ids.get(bucket) {
                    entries.push((*id, c));
                }
            }
            entries.sort_unstable();
            entries
        })
        .collect()
}

/// Scales a sparse vector to unit L2 norm (a zero vector stays zero).
pub(super) fn normalize(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
}

/// Smoothed inverse document frequency `ln((1 + n)/(1 + df)) + 1`.
fn smooth_idf(n: usize, df: u32) -> f32 {
    ((1.0 + n as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// What weighing needs of each feature and field, derived from the counts.
struct Statistics {
    /// Items with each feature.
    df: Vec<u32>,
    /// Items with at least one feature of each field.
    docs: Vec<usize>,
    /// Each field's counts summed over items (text: its tokens).
    tokens: Vec<usize>,
}

fn statistics(counts: &ContentCounts, fields: usize) -> Statistics {
    let mut s = Statistics {
        df: vec![0; counts.features.len()],
        docs: vec![0; fields],
        tokens: vec![0; fields],
    };
    let field = |id: u32| counts.features[id as usize].field as usize;
    for i in 0..counts.items() {
        let (ids, cs) = counts.row(i);
        let mut last = usize::MAX;
        for (&id, &c) in ids.iter().zip(cs) {
            s.df[id as usize] += 1;
            let f = field(id);
            s.tokens[f] += c as usize;
            if f != last {
                s.docs[f] += 1;
                last = f;
            }
        }
    }
    s
}

/// Weighs counts into items' L2-normalised vectors (see the module
/// documentation). `fields` gives each catalogue field's role and weight.
///
/// The counts are trusted: feature fields below `fields.len()`, each row's
/// ids ascending (checked where they are read from a model index).
pub fn weigh(counts: &ContentCounts, fields: &[(Role, f32)], config: &ContentConfig) -> Csr {
    let s = statistics(counts, fields.len());
    // Per feature, what does not depend on the item: its field, and the
    // IDF (text, categorical) or the numeric factor 1/2. Computed once,
    // not per entry: opening a model index spent a tenth of its time on
    // these logarithms.
    let field: Vec<u16> = counts.features.iter().map(|f| f.field).collect();
    let factor: Vec<f32> = counts
        .features
        .iter()
        .zip(&s.df)
        .map(|(feature, &df)| {
            let f = feature.field as usize;
            match fields[f].0 {
                Role::Text => text_idf(df, s.docs[f], config),
                Role::Categorical => smooth_idf(s.docs[f], df),
                Role::Numeric | Role::Ignore => 0.5,
            }
        })
        .collect();
    let avgdl: Vec<f32> = s
        .tokens
        .iter()
        .zip(&s.docs)
        .map(|(&tokens, &docs)| tokens as f32 / docs.max(1) as f32)
        .collect();
    let mut lengths = Vec::with_capacity(counts.items() + 1);
    lengths.push(0);
    let (mut indices, mut values) = (Vec::with_capacity(counts.ids.len()), Vec::new());
    values.reserve(counts.ids.len());
    let mut row: Vec<(u32, f32)> = Vec::new();
    for i in 0..counts.items() {
        let (ids, cs) = counts.row(i);
        row.clear();
        let mut start = 0;
        while start < ids.len() {
            let f = field[ids[start] as usize];
            let end = start
                + ids[start..]
                    .iter()
                    .take_while(|&&id| field[id as usize] == f)
                    .count();
            let (role, field_weight) = fields[f as usize];
            let block_start = row.len();
            let len: u32 = cs[start..end].iter().sum();
            for (&id, &c) in ids[start..end].iter().zip(&cs[start..end]) {
                let x = factor[id as usize];
                let w = match role {
                    Role::Text => text_weight(c, x, len, avgdl[f as usize], config),
                    Role::Categorical => x,
                    Role::Numeric | Role::Ignore => c as f32 * x,
                };
                row.push((id, w));
            }
            normalize(&mut row[block_start..]);
            row[block_start..]
                .iter_mut()
                .for_each(|(_, w)| *w *= field_weight);
            start = end;
        }
        normalize(&mut row);
        lengths.push(row.len());
        indices.extend(row.iter().map(|&(id, _)| id));
        values.extend(row.iter().map(|&(_, w)| w));
    }
    Csr::from_counts(counts.features.len(), lengths, indices, values)
}

/// A text term's IDF for `df` of `docs` documents: BM25's
/// `ln(1 + (N − df + 0.5)/(df + 0.5))`, or TF-IDF's smoothed IDF.
fn text_idf(df: u32, docs: usize, config: &ContentConfig) -> f32 {
    match config.text_weighting {
        TextWeighting::Bm25 => {
            let d = df as f32;
            (1.0 + (docs as f32 - d + 0.5) / (d + 0.5)).ln()
        }
        TextWeighting::TfIdf => smooth_idf(docs, df),
    }
}

/// A text term's weight from its IDF (see [`text_idf`]), for term
/// frequency `tf`, the item's length `len` and the field's mean length.
fn text_weight(tf: u32, idf: f32, len: u32, avgdl: f32, config: &ContentConfig) -> f32 {
    let tf = tf as f32;
    match config.text_weighting {
        TextWeighting::Bm25 => {
            let (k1, b) = (config.bm25_k1, config.bm25_b);
            idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len as f32 / avgdl))
        }
        TextWeighting::TfIdf => (1.0 + tf.ln()) * idf,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{close, model};
    use super::super::ContentConfig;

    #[test]
    fn category_values_match_case_folded_and_read_as_first_spelled() {
        let m = model(
            r#"[{"id": 0, "brand": "Jade Hill"}, {"id": 1, "brand": "JADE HILL"}, {"id": 2, "brand": "Leafy"}]"#,
            &ContentConfig::default(),
        );
        // One feature for both spellings: items 0 and 1 are the same by brand.
        assert!(close(m.similarity(0, 1), 1.0), "{}", m.similarity(0, 1));
        let brands: Vec<&str> = m.features().iter().map(|f| f.value.as_str()).collect();
        assert_eq!(brands, ["Jade Hill", "Leafy"]);
        // Explanations read as the catalogue first spelled the value.
        let (f, w) = m.vector(0);
        let query: Vec<(u32, f32)> = f.iter().copied().zip(w.iter().copied()).collect();
        let why = m.explain(&query, 1, 3);
        assert_eq!(
            why.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(),
            ["Jade Hill"]
        );
        // Search matches the value in any case.
        let mut out = vec![0.0; 3];
        m.score_query(&m.text_query("jade hill"), &mut out);
        assert!(out[0] > 0.0 && out[1] > 0.0 && out[2] == 0.0, "{out:?}");
    }
}
