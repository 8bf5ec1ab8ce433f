//! Building the content model's feature blocks, one per catalogue field:
//! text (BM25 or IDF over tokens), categorical values (IDF) and numeric
//! values (overlapping buckets). Each item's block is normalised before the
//! field weight is applied.

use rustc_hash::FxHashMap;

use super::{ContentConfig, Feature, TextWeighting};
use crate::data::text::for_each_token;
use crate::limits;
use crate::sparse::sort_by_index;

/// Collects features of one field: vocabulary and per-item weights.
pub(super) struct Block<'a> {
    pub field: u16,
    pub vocab: FxHashMap<String, u32>,
    pub features: &'a mut Vec<Feature>,
}

impl Block<'_> {
    fn feature(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.vocab.get(value) {
            return id;
        }
        let id = self.features.len() as u32;
        self.features.push(Feature {
            field: self.field,
            value: value.to_string(),
        });
        self.vocab.insert(value.to_string(), id);
        id
    }
}

/// Scales a sparse vector to unit L2 norm (a zero vector stays zero).
pub(super) fn normalize(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
}

/// Smoothed inverse document frequency `ln((1 + n)/(1 + df)) + 1`.
pub(super) fn smooth_idf(n: usize, df: u32) -> f32 {
    ((1.0 + n as f32) / (1.0 + df as f32)).ln() + 1.0
}

pub(super) fn text_block(
    values: &[Option<String>],
    config: &ContentConfig,
    block: &mut Block,
) -> Vec<Vec<(u32, f32)>> {
    // Pass 1: term frequencies per item and document frequencies.
    let mut tfs: Vec<Vec<(u32, u32)>> = Vec::with_capacity(values.len());
    let mut lengths = Vec::with_capacity(values.len());
    let mut df: Vec<u32> = Vec::new();
    // One map for every item, emptied after each: a map per item cost an
    // allocation and its growth per item.
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    for value in values {
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
        df.resize(block.features.len(), 0);
        for &(t, _) in &terms {
            df[t as usize] += 1;
        }
        tfs.push(terms);
        lengths.push(len);
    }
    // Pass 2: weights. Document frequencies are indexed by global feature id.
    let docs = lengths.iter().filter(|&&l| l > 0).count();
    let avgdl = lengths.iter().sum::<usize>() as f32 / docs.max(1) as f32;
    let (k1, b) = (config.bm25_k1, config.bm25_b);
    tfs.into_iter()
        .zip(lengths)
        .map(|(terms, len)| {
            terms
                .into_iter()
                .map(|(t, tf)| {
                    let (tf, d) = (tf as f32, df[t as usize]);
                    let w = match config.text_weighting {
                        TextWeighting::Bm25 => {
                            let idf =
                                (1.0 + (docs as f32 - d as f32 + 0.5) / (d as f32 + 0.5)).ln();
                            idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len as f32 / avgdl))
                        }
                        TextWeighting::TfIdf => (1.0 + tf.ln()) * smooth_idf(docs, d),
                    };
                    (t, w)
                })
                .collect()
        })
        .collect()
}

pub(super) fn categorical_block(values: &[Vec<String>], block: &mut Block) -> Vec<Vec<(u32, f32)>> {
    let mut ids: Vec<Vec<u32>> = Vec::with_capacity(values.len());
    let mut df: Vec<u32> = Vec::new();
    let mut folded = String::new();
    for item in values {
        let mut feats: Vec<u32> = item
            .iter()
            .map(|v| block.feature(fold_case(v, &mut folded)))
            .collect();
        feats.sort_unstable();
        feats.dedup();
        df.resize(block.features.len(), 0);
        for &f in &feats {
            df[f as usize] += 1;
        }
        ids.push(feats);
    }
    let docs = values.iter().filter(|v| !v.is_empty()).count();
    ids.into_iter()
        .map(|feats| {
            feats
                .into_iter()
                .map(|f| (f, smooth_idf(docs, df[f as usize])))
                .collect()
        })
        .collect()
}

/// `value.to_lowercase()`, written into `buffer` without an allocation
/// per value when it is ASCII (where both fold the same).
fn fold_case<'b>(value: &str, buffer: &'b mut String) -> &'b str {
    if value.is_ascii() {
        buffer.clear();
        buffer.push_str(value);
        buffer.make_ascii_lowercase();
    } else {
        *buffer = value.to_lowercase();
    }
    buffer
}

pub(super) fn numeric_block(
    values: &[Option<f64>],
    buckets: usize,
    block: &mut Block,
) -> Vec<Vec<(u32, f32)>> {
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
            for (bucket, w) in [(k.wrapping_sub(1), 0.5), (k, 1.0), (k + 1, 0.5)] {
                if let Some(Some(id)) = ids.get(bucket) {
                    entries.push((*id, w));
                }
            }
            sort_by_index(&mut entries);
            entries
        })
        .collect()
}
