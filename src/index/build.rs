//! Building an index: the models a static shop can serve are fitted under
//! the privacy rules (one fit pipeline, [`crate::recommend::fit`]), then
//! cut into shards and described by the manifest. No I/O: the caller
//! writes the files.

use super::manifest::{Counts, Fields, Manifest, Shard, FORMAT, MANIFEST};
use super::shards::{self, ShardKind, VERSION};
use crate::config::CheckedConfig;
use crate::data::catalogue::{Catalogue, Role};
use crate::data::interactions::Interactions;
use crate::error::{Error, Result};
use crate::models::als::Als;
use crate::models::content::{self, ContentField, ContentLinks, ContentModel};
use crate::models::ease::Ease;
use crate::models::item_knn::ItemKnn;
use crate::models::sequential::Sequential;
use crate::models::Model;
use crate::recommend::fit::{fit, Clock, FitPlan, FitReport};
use crate::recommend::Recommender;

/// The models an index can hold: every model built from item-level
/// aggregates (user-kNN needs other shoppers' rows).
pub const INDEX_MODELS: [Model; 6] = [
    Model::ItemKnn,
    Model::Ease,
    Model::Als,
    Model::Sequential,
    Model::Content,
    Model::Popular,
];

/// Options of a build that are not model options.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildOptions {
    /// Items per `items` and `content-links` shard (1–1,000,000). Default 100.
    ///
    /// A page fetches the items shards of the items it shows (a query's
    /// results, its history) and the content links of the items its query
    /// starts from: small shards keep that to a few kilobytes. Kinds a
    /// reader opens whole (content vectors, popularity) come in shards of
    /// [`WHOLE_SHARD`] items, since each file costs a request.
    pub shard_items: u32,
    /// Items per shard of the item-kNN and sequential lists, and ids per
    /// bucket of the id directory on average (1–1,000,000). Default 500:
    /// at 100k items a product page then fetches 30 kB of lists where
    /// 1,000 took 59 kB, for 5 kB more of manifest (gzipped).
    pub shard_links: u32,
    /// Content features per `features` shard (1–1,000,000). Default 20,000.
    pub shard_features: u32,
    /// Postings per `terms` shard, about (1–1,000,000; a shard ends after
    /// the feature that reaches it). Default 4,000: a search fetches the
    /// shards of its words, each some 10–40 kB gzipped.
    pub shard_terms: u32,
    /// Content neighbours kept per item for the `content-links` shards
    /// (0–1,000; 0 writes none, and the content vectors rank). Default 20.
    pub content_links: u32,
    /// Ranks in popularity's first shard (1–1,000,000), which a page
    /// fetches before any query: trending, and the fill of short lists,
    /// read the first ranks. Default 1,000.
    pub popularity_head: u32,
    /// Seed of the differential-privacy noise (secret; unused without
    /// `privacy.epsilon`).
    pub noise_seed: u64,
}

/// Items per shard of the kinds a reader opens whole (content counts,
/// popularity). At 10k items, 51 shards of 1,000 took ~640 ms to fetch in
/// Chromium and 6 files of one kind ~170 ms (the same bytes).
pub const WHOLE_SHARD: u32 = 10_000;

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            shard_items: 100,
            shard_links: 500,
            shard_features: 20_000,
            shard_terms: 4_000,
            content_links: 20,
            popularity_head: 1_000,
            noise_seed: 0,
        }
    }
}

/// A built index, in memory.
#[derive(Debug)]
pub struct BuiltIndex {
    /// The manifest.
    pub manifest: Manifest,
    /// Every file to write, the manifest first: `(name, bytes)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The fit's timings and what the privacy rules suppressed.
    pub report: FitReport,
}

/// Fits the index's models on the catalogue and log under
/// `config.privacy`, then encodes them.
///
/// # Errors
/// [`Error::InvalidConfig`] for shard sizes out of range; the fit's errors.
pub fn build(
    catalogue: Catalogue,
    log: Option<&Interactions>,
    config: &CheckedConfig,
    options: &BuildOptions,
    clock: Clock,
) -> Result<BuiltIndex> {
    for (name, v) in [
        ("shardItems", options.shard_items),
        ("shardLinks", options.shard_links),
        ("shardFeatures", options.shard_features),
        ("shardTerms", options.shard_terms),
        ("popularityHead", options.popularity_head),
    ] {
        if !(1..=1_000_000).contains(&v) {
            return Err(Error::config(
                name,
                format!("must be between 1 and 1000000, got {v}"),
            ));
        }
    }
    if options.content_links > 1_000 {
        return Err(Error::config(
            "contentLinks",
            format!("must be between 0 and 1000, got {}", options.content_links),
        ));
    }
    let plan = FitPlan::of(&INDEX_MODELS).protected(&config.privacy, options.noise_seed);
    let fitted = fit(catalogue, log, config, &plan, clock)?;
    let rec = &fitted.recommender;
    let links = rec
        .model::<ContentModel>()
        .filter(|_| options.content_links > 0)
        .map(|c| ContentLinks::fit(c, options.content_links as usize));
    let files = encode(rec, links.as_ref(), options);
    let manifest = describe(rec, log, &fitted.report, links.as_ref(), &files);
    let mut all = vec![(MANIFEST.to_string(), manifest.to_json())];
    all.extend(files.into_iter().map(|(_, name, bytes)| (name, bytes)));
    Ok(BuiltIndex {
        manifest,
        files: all,
        report: fitted.report,
    })
}

/// `(kind, first, count)` ranges of `total` records in shards of `size`.
fn ranges(total: u32, size: u32) -> impl Iterator<Item = (u32, u32)> {
    (0..total.div_ceil(size)).map(move |s| {
        let first = s * size;
        (first, size.min(total - first))
    })
}

/// Every shard: `(shard entry, file name, bytes)`.
fn encode(
    rec: &Recommender,
    links: Option<&ContentLinks>,
    options: &BuildOptions,
) -> Vec<(Shard, String, Vec<u8>)> {
    let catalogue = rec.catalogue();
    let n = catalogue.len() as u32;
    let mut out = Vec::new();
    let mut push = |kind: ShardKind, first: u32, count: u32, bytes: Vec<u8>| {
        let file = shards::file_name(kind, &bytes);
        let shard = Shard {
            kind,
            first,
            count,
            file: file.clone(),
            bytes: bytes.len() as u64,
        };
        out.push((shard, file, bytes));
    };
    let buckets = id_buckets(n, options.shard_links);
    let mut directory: Vec<Vec<(&str, u32)>> = vec![Vec::new(); buckets as usize];
    for (i, id) in catalogue.ids().iter().enumerate() {
        directory[shards::bucket_of(id, buckets) as usize].push((id, i as u32));
    }
    for (b, bucket) in directory.iter().enumerate() {
        push(
            ShardKind::Ids,
            b as u32,
            1,
            shards::encode_ids(b as u32, std::slice::from_ref(bucket)),
        );
    }
    for (first, count) in ranges(n, options.shard_items) {
        push(
            ShardKind::Items,
            first,
            count,
            shards::encode_items(catalogue, first, count),
        );
    }
    if rec.model::<ContentModel>().is_some() {
        // The counts, not the vectors: a reader weighs them as the fit
        // did (the same vectors, bit for bit), and they are a fraction of
        // the size (ids and small counts, where weights are 16 noisy bits
        // each). Counting again costs the build a second tokenising pass.
        let counts = content::count(catalogue, &rec.config().content);
        let features = counts.features.len() as u32;
        for (first, count) in ranges(features, options.shard_features) {
            let bytes = shards::encode_features(&counts.features, first, count);
            push(ShardKind::Features, first, count, bytes);
        }
        for (first, count) in ranges(n, WHOLE_SHARD) {
            let bytes = shards::encode_content(&counts, first, count);
            push(ShardKind::Content, first, count, bytes);
        }
        let content = rec.model::<ContentModel>().expect("checked above");
        let searchable = |f: u32| {
            let field = counts.features[f as usize].field as usize;
            content
                .fields()
                .nth(field)
                .is_some_and(|(_, role)| role != Role::Numeric)
        };
        for (first, count) in term_ranges(content, &searchable, options.shard_terms as usize) {
            let bytes = shards::encode_terms(first, count, |f| {
                if !searchable(f) {
                    return (Vec::new(), Vec::new());
                }
                let (items, weights) = content.postings(f);
                (items.to_vec(), weights.to_vec())
            });
            push(ShardKind::Terms, first, count, bytes);
        }
    }
    if let Some(knn) = rec.model::<ItemKnn>() {
        for (first, count) in ranges(n, options.shard_links) {
            let bytes =
                shards::encode_rows(ShardKind::ItemKnn, first, count, |i| knn.neighbours(i));
            push(ShardKind::ItemKnn, first, count, bytes);
        }
    }
    if let Some(ease) = rec.model::<Ease>() {
        // EASE keeps more links per item than item-kNN's 20 (100 by
        // default): fewer items per shard, so a page's shard weighs about
        // what an item-kNN one does.
        let per_item = (ease.link_count() / n.max(1) as usize).max(20) as u32;
        let items = (options.shard_links * 20 / per_item).max(1);
        for (first, count) in ranges(n, items) {
            let bytes = shards::encode_rows(ShardKind::Ease, first, count, |i| {
                ease.all_neighbours().of(i)
            });
            push(ShardKind::Ease, first, count, bytes);
        }
    }
    if let Some(als) = rec.model::<Als>() {
        let factors = als.item_factors();
        for (first, count) in ranges(n, WHOLE_SHARD) {
            let bytes = super::factors::encode_factors(first, count, |i| {
                factors
                    .row(i as usize)
                    .to_slice()
                    .expect("factor rows are contiguous")
            });
            push(ShardKind::Als, first, count, bytes);
        }
    }
    if let Some(seq) = rec.model::<Sequential>() {
        for (first, count) in ranges(n, options.shard_links) {
            let bytes =
                shards::encode_rows(ShardKind::Sequential, first, count, |i| seq.successors(i));
            push(ShardKind::Sequential, first, count, bytes);
        }
    }
    if let Some(links) = links {
        for (first, count) in ranges(n, options.shard_items) {
            let bytes = shards::encode_content_links(first, count, |i| {
                let (ids, cos) = links.neighbours(i);
                (ids.to_vec(), cos.to_vec(), links.explained(i).to_vec())
            });
            push(ShardKind::ContentLinks, first, count, bytes);
        }
    }
    let popularity = rec.popularity();
    for (first, count) in popularity_ranges(n, options.popularity_head) {
        let bytes =
            shards::encode_popularity(popularity.scores(), popularity.order(), first, count);
        push(ShardKind::Popularity, first, count, bytes);
    }
    out
}

/// Popularity's shards: the first `head` ranks, then the rest in shards of
/// [`WHOLE_SHARD`].
fn popularity_ranges(n: u32, head: u32) -> Vec<(u32, u32)> {
    let head = n.min(head);
    let mut out = vec![(0, head)];
    out.extend(ranges(n - head, WHOLE_SHARD).map(|(first, count)| (head + first, count)));
    out
}

/// Consecutive features in shards of about `per_shard` postings (a shard
/// ends after the feature that reaches it).
fn term_ranges(
    content: &ContentModel,
    searchable: &dyn Fn(u32) -> bool,
    per_shard: usize,
) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut first, mut postings) = (0u32, 0usize);
    let features = content.feature_count() as u32;
    for f in 0..features {
        if searchable(f) {
            postings += content.postings(f).0.len();
        }
        if postings >= per_shard || f + 1 == features {
            out.push((first, f + 1 - first));
            first = f + 1;
            postings = 0;
        }
    }
    out
}

/// Buckets of the id directory: one per `per_bucket` items, at least one.
fn id_buckets(items: u32, per_bucket: u32) -> u32 {
    items.div_ceil(per_bucket).max(1)
}

fn describe(
    rec: &Recommender,
    log: Option<&Interactions>,
    report: &FitReport,
    links: Option<&ContentLinks>,
    files: &[(Shard, String, Vec<u8>)],
) -> Manifest {
    let catalogue = rec.catalogue();
    let content = rec.model::<ContentModel>();
    let privacy = report.privacy.clone().unwrap_or_default();
    let stored = catalogue.stored_fields();
    let counts = Counts {
        shoppers: log.map_or(0, Interactions::user_count),
        interactions: log.map_or(0, |l| l.len() - privacy.capped_rows),
        item_links: rec
            .model::<ItemKnn>()
            .map_or(0, |m| m.all_neighbours().len()),
        successors: rec
            .model::<Sequential>()
            .map_or(0, |m| m.all_successors().len()),
        ease_links: rec.model::<Ease>().map_or(0, Ease::link_count),
        features: content.map_or(0, |c| c.features().len() as u32),
        content_links: links.map_or(0, |l| l.len()),
        id_buckets: files
            .iter()
            .filter(|(s, _, _)| s.kind == ShardKind::Ids)
            .count() as u32,
    };
    Manifest {
        format: FORMAT.to_string(),
        version: VERSION as u32,
        generator: format!("pocketrec {}", env!("CARGO_PKG_VERSION")),
        items: catalogue.len() as u32,
        models: rec.models().iter().map(|m| m.kind()).collect(),
        config: rec.config().get().clone(),
        counts,
        suppressed: privacy,
        fields: Fields {
            category: stored.category,
            price: stored.price,
            numeric: stored.numeric,
            content: content.map_or_else(Vec::new, |_| ContentField::all_of(catalogue)),
        },
        shards: files.iter().map(|(s, _, _)| s.clone()).collect(),
        als: rec
            .model::<Als>()
            .map(|als| als_parts(als, &rec.config().als)),
    }
}

/// ALS's fold-in parts, with `YᵀY + λI` of the factors as published
/// (quantised), so the browser solves the system the published factors
/// define.
fn als_parts(als: &Als, config: &crate::models::als::AlsConfig) -> super::manifest::AlsParts {
    let factors = als.item_factors();
    let d = factors.ncols();
    let published = ndarray::Array2::from_shape_fn(factors.dim(), |(i, k)| {
        let (scale, q) = super::factors::quantise(factors.row(i).to_slice().expect("contiguous"));
        q[k] as f32 * scale
    });
    let gram = Als::from_factors(published, config.regularization, config.alpha)
        .gram()
        .to_owned();
    super::manifest::AlsParts {
        factors: d,
        alpha: config.alpha,
        gram: (0..d)
            .flat_map(|r| (r..d).map(move |c| (r, c)))
            .map(|(r, c)| gram[[r, c]])
            .collect(),
    }
}
