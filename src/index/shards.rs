//! Shard files: a 16-byte header, then one kind's records for a range of
//! items (or features). See `format.md` for the layout of each kind.

use serde::{Deserialize, Serialize};

use super::codec::{Reader, Writer};
use crate::data::catalogue::{Catalogue, StoredItem};
use crate::error::{Error, Result};
use crate::limits::MAX_TOKENS_PER_FIELD;
use crate::models::content::{ContentCounts, Feature, LinkFeatures};

/// The first bytes of every shard.
pub const MAGIC: &[u8; 4] = b"PKRX";
/// The shard format version (the manifest's `version`).
pub const VERSION: u8 = 3;
/// Header bytes before the records.
pub const HEADER: usize = 16;

/// What a shard holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShardKind {
    /// Display and filter fields of items.
    Items = 1,
    /// What content features stand for (by feature id).
    Features = 2,
    /// Content vectors of items.
    Content = 3,
    /// Item-kNN neighbour lists of items.
    ItemKnn = 4,
    /// Sequential successor lists of items.
    Sequential = 5,
    /// Popularity: items and scores by rank.
    Popularity = 6,
    /// The id directory: buckets of `(id, item)` by a hash of the id.
    Ids = 7,
    /// Content neighbour lists of items, each link with the features that
    /// explain it.
    ContentLinks = 8,
    /// Postings of content features: the items that have each, and its
    /// weight in their vectors (search).
    Terms = 9,
    /// EASE's kept weights, by source item (lists, as item-kNN's).
    Ease = 10,
    /// ALS's item factors, quantised to 8 bits with a scale per item.
    Als = 11,
}

impl ShardKind {
    /// All kinds, in file order.
    pub const ALL: [ShardKind; 11] = [
        ShardKind::Ids,
        ShardKind::Items,
        ShardKind::Features,
        ShardKind::Content,
        ShardKind::ItemKnn,
        ShardKind::Sequential,
        ShardKind::Popularity,
        ShardKind::ContentLinks,
        ShardKind::Terms,
        ShardKind::Ease,
        ShardKind::Als,
    ];

    /// The kind's name in file names and the manifest.
    pub fn name(self) -> &'static str {
        match self {
            ShardKind::Items => "items",
            ShardKind::Features => "features",
            ShardKind::Content => "content",
            ShardKind::ItemKnn => "item-knn",
            ShardKind::Sequential => "sequential",
            ShardKind::Popularity => "popularity",
            ShardKind::Ids => "ids",
            ShardKind::ContentLinks => "content-links",
            ShardKind::Terms => "terms",
            ShardKind::Ease => "ease",
            ShardKind::Als => "als",
        }
    }
}

/// A shard's file name: its kind and the xxHash64 (seed 0) of its bytes in
/// 16 hex digits, so a published file never changes under its name.
pub fn file_name(kind: ShardKind, bytes: &[u8]) -> String {
    format!("{}-{:016x}.bin", kind.name(), hash(bytes))
}

/// xxHash64 of the bytes, seed 0.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh64::xxh64(bytes, 0)
}

pub(super) fn header(kind: ShardKind, first: u32, count: u32) -> Writer {
    let mut w = Writer::default();
    w.bytes.extend_from_slice(MAGIC);
    w.u8(VERSION);
    w.u8(kind as u8);
    w.u16(0);
    w.u32(first);
    w.u32(count);
    w
}

/// Checks a shard's header against what the manifest says it holds, and
/// returns a reader at its first record.
pub fn open<'a>(
    file: &'a str,
    bytes: &'a [u8],
    kind: ShardKind,
    first: u32,
    count: u32,
) -> Result<Reader<'a>> {
    let bad = |message: String| Error::BadIndex {
        file: file.to_string(),
        message,
    };
    let expected = file_name(kind, bytes);
    if expected != file {
        return Err(bad(format!(
            "its bytes hash to {expected}: the file is corrupt, truncated, or from another build"
        )));
    }
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err(bad("not a pocketrec shard (no PKRX header)".into()));
    }
    let mut r = Reader::new(file, &bytes[4..HEADER]);
    let (version, stored_kind, _) = (r.u8()?, r.u8()?, r.u16()?);
    let (stored_first, stored_count) = (r.u32()?, r.u32()?);
    if version != VERSION {
        return Err(bad(format!(
            "shard format version {version}; this pocketrec reads version {VERSION}"
        )));
    }
    if (stored_kind, stored_first, stored_count) != (kind as u8, first, count) {
        return Err(bad(format!(
            "holds kind {stored_kind}, records {stored_first}..+{stored_count}; the manifest says {} ({}), {first}..+{count}",
            kind.name(),
            kind as u8
        )));
    }
    let mut reader = Reader::new(file, bytes);
    for _ in 0..HEADER {
        reader.u8()?;
    }
    Ok(reader)
}

// Bits of an item record's flags.
const TITLE: u64 = 1;
const IMAGE: u64 = 1 << 1;
const URL: u64 = 1 << 2;
const SHOWN_PRICE: u64 = 1 << 3;
const CURRENCY: u64 = 1 << 4;
const CATEGORY: u64 = 1 << 5;
const HAS_STOCK: u64 = 1 << 6;
const IN_STOCK: u64 = 1 << 7;
const AVAILABLE: u64 = 1 << 8;
const FLAGS: u64 = (1 << 9) - 1;

/// Items `first..first + count`: a table of the labels they share
/// (currencies, categories), then one record per item.
pub fn encode_items(catalogue: &Catalogue, first: u32, count: u32) -> Vec<u8> {
    let items: Vec<StoredItem> = (first..first + count)
        .map(|i| catalogue.stored(i))
        .collect();
    let mut labels = LabelTable::default();
    let mut body = Writer::default();
    for it in &items {
        let bit = |present: bool, b: u64| if present { b } else { 0 };
        let flags = bit(it.title.is_some(), TITLE)
            | bit(it.image.is_some(), IMAGE)
            | bit(it.url.is_some(), URL)
            | bit(it.shown_price.is_some(), SHOWN_PRICE)
            | bit(it.currency.is_some(), CURRENCY)
            | bit(it.category.is_some(), CATEGORY)
            | bit(it.in_stock.is_some(), HAS_STOCK)
            | bit(it.in_stock == Some(true), IN_STOCK)
            | bit(it.available, AVAILABLE);
        body.str(&it.id);
        body.varint(flags);
        for s in [&it.title, &it.image, &it.url].into_iter().flatten() {
            body.str(s);
        }
        if let Some(p) = it.shown_price {
            body.number(p);
        }
        for s in [&it.currency, &it.category].into_iter().flatten() {
            body.varint(labels.index(s));
        }
        body.varint(it.categories.len() as u64);
        for c in &it.categories {
            body.varint(labels.index(c));
        }
        let numbers: Vec<(usize, f64)> = it
            .numbers
            .iter()
            .enumerate()
            .filter_map(|(k, x)| x.map(|x| (k, x)))
            .collect();
        body.varint(numbers.len() as u64);
        for (k, x) in numbers {
            body.varint(k as u64);
            body.number(x);
        }
    }
    let mut w = header(ShardKind::Items, first, count);
    w.varint(labels.strings.len() as u64);
    for l in &labels.strings {
        w.str(l);
    }
    w.bytes.extend_from_slice(&body.bytes);
    w.bytes
}

/// The labels of one items shard, numbered in order of first use.
#[derive(Default)]
struct LabelTable {
    strings: Vec<String>,
    numbers: rustc_hash::FxHashMap<String, u64>,
}

impl LabelTable {
    fn index(&mut self, s: &str) -> u64 {
        if let Some(&n) = self.numbers.get(s) {
            return n;
        }
        let n = self.strings.len() as u64;
        self.strings.push(s.to_string());
        self.numbers.insert(s.to_string(), n);
        n
    }
}

/// Reads the records of an items shard, with `numeric` numeric fields.
pub fn decode_items(
    mut r: Reader,
    count: u32,
    numeric: usize,
    out: &mut Vec<StoredItem>,
) -> Result<()> {
    let labels: Vec<String> = (0..r.count(1)?).map(|_| r.str()).collect::<Result<_>>()?;
    let label = |r: &mut Reader| -> Result<String> {
        Ok(labels[r.index(labels.len(), "label")? as usize].clone())
    };
    for _ in 0..count {
        let id = r.str()?;
        let flags = r.varint()?;
        if flags & !FLAGS != 0 {
            return Err(r.error(format!("unknown item flags {flags:#x}")));
        }
        let opt_str = |b: u64, r: &mut Reader| -> Result<Option<String>> {
            (flags & b != 0).then(|| r.str()).transpose()
        };
        let (title, image, url) = (
            opt_str(TITLE, &mut r)?,
            opt_str(IMAGE, &mut r)?,
            opt_str(URL, &mut r)?,
        );
        let shown_price = (flags & SHOWN_PRICE != 0)
            .then(|| r.number("price"))
            .transpose()?;
        let currency = (flags & CURRENCY != 0).then(|| label(&mut r)).transpose()?;
        let category = (flags & CATEGORY != 0).then(|| label(&mut r)).transpose()?;
        let categories = (0..r.count(1)?)
            .map(|_| label(&mut r))
            .collect::<Result<_>>()?;
        let mut numbers = vec![None; numeric];
        for _ in 0..r.count(2)? {
            let k = r.index(numeric, "numeric field")? as usize;
            numbers[k] = Some(r.number("number")?);
        }
        out.push(StoredItem {
            id,
            title,
            image,
            url,
            shown_price,
            currency,
            category,
            in_stock: (flags & HAS_STOCK != 0).then_some(flags & IN_STOCK != 0),
            available: flags & AVAILABLE != 0,
            categories,
            numbers,
        });
    }
    end(r)
}

/// Features `first..first + count` of the content model: field index and value.
pub fn encode_features(features: &[Feature], first: u32, count: u32) -> Vec<u8> {
    let mut w = header(ShardKind::Features, first, count);
    for f in &features[first as usize..(first + count) as usize] {
        w.varint(f.field as u64);
        w.str(&f.value);
    }
    w.bytes
}

/// Reads the records of a features shard; fields must be below `fields`
/// and never decrease (a field's features are contiguous).
pub fn decode_features(
    mut r: Reader,
    count: u32,
    fields: usize,
    out: &mut Vec<Feature>,
) -> Result<()> {
    for _ in 0..count {
        let field = r.index(fields, "field")? as u16;
        if let Some(before) = out.last().map(|f| f.field).filter(|&b| b > field) {
            return Err(r.error(format!(
                "feature {} is of field {field}, after one of field {before}: a field's features must be contiguous, fields in order",
                out.len()
            )));
        }
        out.push(Feature {
            field,
            value: r.str()?,
        });
    }
    end(r)
}

/// Content rows of items `first..first + count`: each item's feature ids
/// (a varint count, then ascending ids, the first as it is and then the
/// gaps) and the counts other than 1 (a varint count, then pairs of
/// position in the row, as a gap after the first, and count).
pub fn encode_content(counts: &ContentCounts, first: u32, count: u32) -> Vec<u8> {
    let mut w = header(ShardKind::Content, first, count);
    for i in first..first + count {
        let (ids, cs) = counts.row(i as usize);
        w.varint(ids.len() as u64);
        let mut previous = 0;
        for &id in ids {
            w.varint((id - previous) as u64);
            previous = id;
        }
        // Most counts are 1: only the others are written, as (position
        // in the row, count) with each position after the first a gap.
        let others: Vec<(usize, u32)> = cs
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, c)| c != 1)
            .collect();
        w.varint(others.len() as u64);
        let mut previous = 0;
        for (k, c) in others {
            w.varint((k - previous) as u64);
            w.varint(c as u64);
            previous = k;
        }
    }
    w.bytes
}

/// Reads `count` content rows onto `out` (whose `features` must be read
/// first): ids ascending and below the feature count, counts from 1 to
/// [`MAX_TOKENS_PER_FIELD`]. Counts not written are 1.
pub fn decode_content(mut r: Reader, count: u32, out: &mut ContentCounts) -> Result<()> {
    let bound = out.features.len() as u64;
    for _ in 0..count {
        let n = r.count(1)?;
        let mut previous = 0u64;
        for k in 0..n {
            let gap = r.varint()?;
            let id = previous + gap;
            if (k > 0 && gap == 0) || id >= bound {
                return Err(r.error(format!(
                    "feature id {id} is not ascending or not below the {bound} features"
                )));
            }
            out.ids.push(id as u32);
            previous = id;
        }
        let start = out.counts.len();
        out.counts.resize(start + n, 1);
        let others = r.count(2)?;
        let mut position = 0u64;
        for k in 0..others {
            let gap = r.varint()?;
            position += gap;
            let c = r.varint()?;
            if (k > 0 && gap == 0) || position >= n as u64 {
                return Err(r.error(format!(
                    "count position {position} is not ascending or not below the row's {n} features"
                )));
            }
            if !(2..=MAX_TOKENS_PER_FIELD as u64).contains(&c) {
                return Err(r.error(format!(
                    "feature count {c} is outside 2–{MAX_TOKENS_PER_FIELD} (counts of 1 are not written)"
                )));
            }
            out.counts[start + position as usize] = c as u32;
        }
        out.offsets.push(out.ids.len());
    }
    end(r)
}

/// Rows `first..first + count` of links (neighbours, successors), each written by [`Writer::links`].
pub fn encode_rows<'a>(
    kind: ShardKind,
    first: u32,
    count: u32,
    row: impl Fn(u32) -> (&'a [u32], &'a [f32]),
) -> Vec<u8> {
    let mut w = header(kind, first, count);
    for i in first..first + count {
        let (ids, strengths) = row(i);
        if kind == ShardKind::Ease {
            w.signed_links(ids, strengths);
        } else {
            w.links(ids, strengths);
        }
    }
    w.bytes
}

/// Reads the rows of a links shard of `kind` (EASE's are signed); ids must
/// be below `bound`.
pub fn decode_rows(
    mut r: Reader,
    kind: ShardKind,
    count: u32,
    bound: usize,
    out: &mut Vec<Vec<(u32, f32)>>,
) -> Result<()> {
    let mut row = Vec::new();
    for _ in 0..count {
        if kind == ShardKind::Ease {
            r.signed_links(bound, &mut row)?;
        } else {
            r.links(bound, &mut row)?;
        }
        out.push(row.clone());
    }
    end(r)
}

/// The id directory's bucket of an id: the xxHash64 (seed 0) of its
/// trimmed UTF-8 bytes, modulo the number of buckets.
pub fn bucket_of(id: &str, buckets: u32) -> u32 {
    (hash(id.trim().as_bytes()) % buckets.max(1) as u64) as u32
}

/// Buckets `first..first + buckets.len()` of the id directory: per bucket a
/// varint count, then each `(id, item)` as a string and a varint, by item.
pub fn encode_ids(first: u32, buckets: &[Vec<(&str, u32)>]) -> Vec<u8> {
    let mut w = header(ShardKind::Ids, first, buckets.len() as u32);
    for bucket in buckets {
        w.varint(bucket.len() as u64);
        for &(id, item) in bucket {
            w.str(id);
            w.varint(item as u64);
        }
    }
    w.bytes
}

/// Reads the `(id, item)` entries of an ids shard of `count` buckets,
/// starting at bucket `first` of `buckets`; items must be below `items`,
/// and each id must belong to its bucket.
pub fn decode_ids(
    mut r: Reader,
    first: u32,
    count: u32,
    buckets: u32,
    items: usize,
    out: &mut Vec<(String, u32)>,
) -> Result<()> {
    for b in first..first + count {
        for _ in 0..r.count(2)? {
            let id = r.str()?;
            let item = r.index(items, "item")?;
            if bucket_of(&id, buckets) != b {
                return Err(r.error(format!(
                    "id {id:?} is in bucket {b}, but hashes to bucket {}",
                    bucket_of(&id, buckets)
                )));
            }
            out.push((id, item));
        }
    }
    end(r)
}

/// Content links of items `first..first + count`: each a links row
/// ([`Writer::links`]), then for each link the features that explain it
/// (a varint count, then per feature its id as a varint and its share of
/// the link's cosine as a u8, `q / 255`).
pub fn encode_content_links(
    first: u32,
    count: u32,
    row: impl Fn(u32) -> (Vec<u32>, Vec<f32>, Vec<LinkFeatures>),
) -> Vec<u8> {
    let mut w = header(ShardKind::ContentLinks, first, count);
    for i in first..first + count {
        let (ids, strengths, features) = row(i);
        w.links(&ids, &strengths);
        for link in &features {
            w.varint(link.len() as u64);
            for &(f, share) in link {
                w.varint(f as u64);
                w.u8((share.clamp(0.0, 1.0) * 255.0).round() as u8);
            }
        }
    }
    w.bytes
}

/// One item's content links and the features that explain each.
pub type ContentLinksRow = (Vec<(u32, f32)>, Vec<LinkFeatures>);

/// Reads the rows of a content-links shard: link ids below `items`,
/// feature ids below `features`.
pub fn decode_content_links(
    mut r: Reader,
    count: u32,
    items: usize,
    features: usize,
    out: &mut Vec<ContentLinksRow>,
) -> Result<()> {
    let mut row = Vec::new();
    for _ in 0..count {
        r.links(items, &mut row)?;
        let mut explained = Vec::with_capacity(row.len());
        for _ in 0..row.len() {
            let n = r.count(2)?;
            let mut link = Vec::with_capacity(n);
            for _ in 0..n {
                let f = r.index(features, "feature")?;
                link.push((f, r.u8()? as f32 / 255.0));
            }
            explained.push(link);
        }
        out.push((row.clone(), explained));
    }
    end(r)
}

/// Postings of features `first..first + count`: per feature a links row
/// ([`Writer::links`]) of the items that have it and its weight in each
/// (16 bits of the feature's largest). Numeric features, which text never
/// matches, have none written.
pub fn encode_terms(first: u32, count: u32, row: impl Fn(u32) -> (Vec<u32>, Vec<f32>)) -> Vec<u8> {
    let mut w = header(ShardKind::Terms, first, count);
    for f in first..first + count {
        let (items, weights) = row(f);
        w.links(&items, &weights);
    }
    w.bytes
}

/// Reads a terms shard's postings: items below `items`.
pub fn decode_terms(
    mut r: Reader,
    count: u32,
    items: usize,
    out: &mut Vec<Vec<(u32, f32)>>,
) -> Result<()> {
    let mut row = Vec::new();
    for _ in 0..count {
        r.links(items, &mut row)?;
        // A weight that rounded to 0 is no posting.
        out.push(row.iter().copied().filter(|&(_, w)| w > 0.0).collect());
    }
    end(r)
}

/// Ranks `first..first + count` of popularity: per rank the item (varint)
/// and its score (f32), in popularity order (`order`, by `scores`).
pub fn encode_popularity(scores: &[f32], order: &[u32], first: u32, count: u32) -> Vec<u8> {
    let mut w = header(ShardKind::Popularity, first, count);
    for &i in &order[first as usize..(first + count) as usize] {
        w.varint(i as u64);
        w.f32(scores[i as usize]);
    }
    w.bytes
}

/// Reads a popularity shard's ranks onto `out` (the ranks before it):
/// items below `items`, scores finite and ≥ 0, in popularity order
/// (scores not increasing, ties by ascending item), so no item twice.
pub fn decode_popularity(
    mut r: Reader,
    count: u32,
    items: usize,
    out: &mut Vec<(u32, f32)>,
) -> Result<()> {
    for _ in 0..count {
        let i = r.index(items, "item")?;
        let s = r.f32()?;
        if !(s.is_finite() && s >= 0.0) {
            return Err(r.error(format!("popularity {s} is not a finite number ≥ 0")));
        }
        if let Some(&(j, before)) = out.last() {
            if s > before || (s == before && i <= j) {
                return Err(r.error(format!(
                    "item {i} (popularity {s}) after item {j} ({before}): ranks must be in popularity order, ties by item"
                )));
            }
        }
        out.push((i, s));
    }
    end(r)
}

pub(super) fn end(r: Reader) -> Result<()> {
    if !r.is_at_end() {
        return Err(r.error(format!("{} bytes after the last record", r.remaining())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(rows: &[&[(u32, u32)]], features: usize) -> ContentCounts {
        let mut c = ContentCounts {
            features: (0..features)
                .map(|k| Feature {
                    field: 0,
                    value: format!("f{k}"),
                })
                .collect(),
            offsets: vec![0],
            ..ContentCounts::default()
        };
        for row in rows {
            for &(id, n) in *row {
                c.ids.push(id);
                c.counts.push(n);
            }
            c.offsets.push(c.ids.len());
        }
        c
    }

    #[test]
    fn content_rows_round_trip_with_counts_of_one_left_out() {
        // The last row ends the file with one byte per feature: a row of
        // counts of 1 takes half the bytes of one that wrote them.
        let all_ones: Vec<(u32, u32)> = (0..40).map(|k| (k * 3, 1)).collect();
        let c = counts(&[&[(0, 2), (5, 1), (7, 4096)], &[], &all_ones], 200);
        let bytes = encode_content(&c, 0, 3);
        let name = file_name(ShardKind::Content, &bytes);
        let mut back = counts(&[], 200);
        decode_content(
            open(&name, &bytes, ShardKind::Content, 0, 3).unwrap(),
            3,
            &mut back,
        )
        .unwrap();
        assert_eq!(back, c);
        // Header, then row 0: 3 ids (0, gap 5, gap 2), 2 counts ≠ 1 at
        // positions 0 and 2 (gap 2); row 1: 0 ids, 0 counts.
        assert_eq!(
            &bytes[HEADER..HEADER + 13],
            &[3, 0, 5, 2, 2, 0, 2, 2, 0x80, 0x20, 0, 0, 40]
        );
    }

    #[test]
    fn content_rows_that_break_the_rules_are_errors() {
        let decode = |body: &[u8]| {
            let mut bytes = header(ShardKind::Content, 0, 1).bytes;
            bytes.extend_from_slice(body);
            let name = file_name(ShardKind::Content, &bytes);
            let mut out = counts(&[], 10);
            decode_content(open(&name, &bytes, ShardKind::Content, 0, 1)?, 1, &mut out).map(|_| out)
        };
        assert!(decode(&[2, 3, 4, 0]).is_ok());
        for (body, message) in [
            (&[2, 3, 0, 0][..], "not ascending"),
            (&[1, 10, 0][..], "not below the 10 features"),
            (&[1, 3, 1, 0, 1][..], "outside 2–4096"),
            (&[1, 3, 1, 1, 2][..], "count position 1"),
            (&[1, 3, 1, 0, 0x81, 0x20][..], "outside 2–4096"),
        ] {
            let e = decode(body).unwrap_err().to_string();
            assert!(e.contains(message), "{body:?}: {e}");
        }
    }
}
