//! ALS's factor shards (kind `als`): each item's factors in 8 bits with a
//! scale per item, a quarter of the `f32` bytes.

use super::codec::Reader;
use super::shards::{end, header, ShardKind};
use crate::error::Result;

/// ALS factors of items `first..first + count`, `d` each: per item an
/// `f32` scale `s = max|y_k| / 127`, then `d` signed bytes `round(y_k / s)`
/// (a quarter of the `f32` bytes; see the README for the NDCG it costs).
pub fn encode_factors<'a>(first: u32, count: u32, row: impl Fn(u32) -> &'a [f32]) -> Vec<u8> {
    let mut w = header(ShardKind::Als, first, count);
    for i in first..first + count {
        let (scale, q) = quantise(row(i));
        w.f32(scale);
        q.into_iter().for_each(|b| w.u8(b as u8));
    }
    w.bytes
}

/// A factor row as published: its scale and signed bytes.
pub fn quantise(y: &[f32]) -> (f32, Vec<i8>) {
    let scale = y.iter().fold(0f32, |m, v| m.max(v.abs())) / 127.0;
    let q = y
        .iter()
        .map(|&v| {
            if scale > 0.0 {
                (v / scale).round() as i8
            } else {
                0
            }
        })
        .collect();
    (scale, q)
}

/// Reads the factors of an ALS shard (`d` per item) onto `out`.
pub fn decode_factors(mut r: Reader, count: u32, d: usize, out: &mut Vec<f32>) -> Result<()> {
    for _ in 0..count {
        let scale = r.f32()?;
        if !(scale.is_finite() && scale >= 0.0) {
            return Err(r.error(format!("factor scale {scale} is not a finite number ≥ 0")));
        }
        for _ in 0..d {
            out.push(r.u8()? as i8 as f32 * scale);
        }
    }
    end(r)
}
