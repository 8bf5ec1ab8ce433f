//! Opening an index: the manifest, then every shard it lists, decoded back
//! into the same models a live fit makes, behind the same
//! [`Recommender`]. The caller supplies the bytes of each file (the CLI
//! from a folder; the browser from its fetches).

use rustc_hash::FxHashSet;

use super::manifest::{Manifest, Shard};
use super::shards::{self, ShardKind};
use crate::config::CheckedConfig;
use crate::data::catalogue::StoredFields;
use crate::error::{Error, Result};
use crate::models::content::{ContentCounts, ContentModel, Feature, LinkFeatures};
use crate::models::Model;
use crate::recommend::Recommender;

/// Where the bytes of an index's files come from: the file name (as the
/// manifest lists it) to its bytes. A missing file is an
/// [`Error::BadIndex`] naming it.
pub type ReadFile<'a> = &'a mut dyn FnMut(&str) -> Result<Vec<u8>>;

/// An opened index.
#[derive(Debug)]
pub struct OpenedIndex {
    /// Its manifest.
    pub manifest: Manifest,
    /// Its models behind the query API (those opened so far).
    pub recommender: Recommender,
    /// The models left out because their shards were bad ([`open_lenient`]
    /// and [`super::open_partial`] only), with why.
    pub problems: Vec<(Model, Error)>,
    /// What is open so far (see [`super::partial`]).
    pub(super) state: OpenState,
}

/// Which shards an index has opened, and the rows of its list models so
/// far (they open shard by shard).
#[derive(Debug, Default)]
pub(super) struct OpenState {
    /// Shard files opened (or found bad).
    pub opened: FxHashSet<String>,
    /// Each neighbour-list model's rows so far (empty for items whose shard
    /// is not open).
    pub rows: Vec<(Model, ListRows)>,
    /// The content links' explaining features so far, by item and link.
    pub explained: Vec<Vec<LinkFeatures>>,
    /// The content features (vocabulary), once read.
    pub features: Option<Vec<Feature>>,
    /// Popularity's first ranks read so far.
    pub ranked: Vec<(u32, f32)>,
    /// The postings of each content feature read so far (search).
    pub postings: Vec<Vec<(u32, f32)>>,
}

/// One row of links per item.
pub(super) type ListRows = Vec<Vec<(u32, f32)>>;

/// Checks that a query's `model` is one the index serves (`held`: its
/// models in blend order): the hybrid always is, blending what is held;
/// a single model must be held.
///
/// # Errors
/// [`Error::InvalidValue`] at `model`, naming what the index holds.
pub fn check_held(held: &[Model], wanted: Model) -> Result<()> {
    if wanted == Model::Hybrid || held.contains(&wanted) {
        return Ok(());
    }
    let names: Vec<&str> = held.iter().map(|m| m.name()).collect();
    Err(Error::value(
        "model",
        format!(
            "this model index holds no {} model (it holds: {}); user-knn needs other shoppers' rows, so an index never holds it",
            wanted.name(),
            names.join(", ")
        ),
    ))
}

/// Reads the manifest and every shard it lists.
///
/// # Errors
/// [`Error::BadIndex`] naming the file for a missing, truncated or corrupt
/// file, a hash mismatch, another format version, or options this version
/// does not accept.
pub fn open(manifest: &[u8], read: ReadFile) -> Result<OpenedIndex> {
    open_with(manifest, read, false)
}

/// [`open`], but a model whose shards are missing or bad is left out (and
/// named in [`OpenedIndex::problems`]) rather than failing the whole
/// index: a page can still answer what the other models answer
/// (trending, say). The manifest and the items shards must be good.
///
/// # Errors
/// [`Error::BadIndex`] for a bad manifest or items shard.
pub fn open_lenient(manifest: &[u8], read: ReadFile) -> Result<OpenedIndex> {
    open_with(manifest, read, true)
}

fn open_with(manifest: &[u8], read: ReadFile, lenient: bool) -> Result<OpenedIndex> {
    let mut opened = super::partial::open_partial(manifest, read, &[])?;
    opened.open(&super::partial::Needs::everything(opened.held()), read)?;
    match opened.problems.first() {
        Some((_, e)) if !lenient => Err(e.clone()),
        _ => Ok(opened),
    }
}

impl OpenedIndex {
    /// The models this index answers with: those its manifest lists, less
    /// those left out for bad shards (open or not), in blend order.
    pub fn held(&self) -> Vec<Model> {
        let failed: Vec<Model> = self.problems.iter().map(|(m, _)| *m).collect();
        Model::SINGLE
            .iter()
            .copied()
            .filter(|m| self.manifest.models.contains(m) && !failed.contains(m))
            .collect()
    }
}

/// The shard kinds a model is read from. Content: its vectors, or its
/// links when the index has them and the query does not need the vectors
/// (search and diversity do).
pub(super) fn shard_kinds(model: Model, links: bool) -> Vec<ShardKind> {
    match model {
        Model::ItemKnn => vec![ShardKind::ItemKnn],
        Model::Sequential => vec![ShardKind::Sequential],
        Model::Content if links => vec![ShardKind::Features, ShardKind::ContentLinks],
        Model::Content => vec![ShardKind::Features, ShardKind::Content],
        Model::Popular => vec![ShardKind::Popularity],
        Model::Ease => vec![ShardKind::Ease],
        Model::Als => vec![ShardKind::Als],
        Model::UserKnn | Model::Hybrid => Vec::new(),
    }
}

/// Each shard of a kind, opened and handed to `decode` with its record count.
fn each_shard(
    manifest: &Manifest,
    kind: ShardKind,
    read: ReadFile,
    mut decode: impl FnMut(super::codec::Reader, u32) -> Result<()>,
) -> Result<()> {
    let mut any = false;
    for s in manifest.shards_of(kind) {
        any = true;
        let bytes = read(&s.file)?;
        decode(
            shards::open(&s.file, &bytes, kind, s.first, s.count)?,
            s.count,
        )?;
    }
    if !any && manifest.items > 0 {
        return Err(Error::BadIndex {
            file: super::MANIFEST.to_string(),
            message: format!("lists no {} shards", kind.name()),
        });
    }
    Ok(())
}

/// The filter fields of the index's items.
pub(super) fn stored_fields(manifest: &Manifest) -> StoredFields {
    StoredFields {
        category: manifest.fields.category.clone(),
        price: manifest.fields.price.clone(),
        numeric: manifest.fields.numeric.clone(),
    }
}

/// The popularity ranks of `shards` (in rank order), onto `ranked`.
pub(super) fn popularity_ranks(
    manifest: &Manifest,
    shards: &[&Shard],
    read: ReadFile,
    ranked: &mut Vec<(u32, f32)>,
) -> Result<()> {
    for s in shards {
        let bytes = read(&s.file)?;
        let r = shards::open(&s.file, &bytes, s.kind, s.first, s.count)?;
        shards::decode_popularity(r, s.count, manifest.items as usize, ranked)?;
    }
    Ok(())
}

/// The content features (vocabulary).
pub(super) fn features(manifest: &Manifest, read: ReadFile) -> Result<Vec<Feature>> {
    let fields = manifest.fields.content.len();
    let mut features = Vec::with_capacity(manifest.counts.features as usize);
    if manifest.counts.features > 0 {
        each_shard(manifest, ShardKind::Features, read, |r, count| {
            shards::decode_features(r, count, fields, &mut features)
        })?;
    }
    Ok(features)
}

/// The content vectors, weighed from their counts.
pub(super) fn content(
    manifest: &Manifest,
    config: &CheckedConfig,
    features: Vec<Feature>,
    read: ReadFile,
) -> Result<ContentModel> {
    let mut counts = ContentCounts {
        features,
        ..ContentCounts::default()
    };
    counts.offsets.reserve(manifest.items as usize + 1);
    counts.offsets.push(0);
    each_shard(manifest, ShardKind::Content, read, |r, count| {
        shards::decode_content(r, count, &mut counts)
    })?;
    Ok(ContentModel::from_counts(
        counts,
        manifest.fields.content.clone(),
        &config.content,
    ))
}
