//! Opening an index: the manifest, then every shard it lists, decoded back
//! into the same models a live fit makes, behind the same
//! [`Recommender`]. The caller supplies the bytes of each file (the CLI
//! from a folder; the browser from its fetches).

use std::sync::Arc;

use super::manifest::Manifest;
use super::shards::{self, ShardKind};
use crate::config::CheckedConfig;
use crate::data::catalogue::{Catalogue, StoredFields};
use crate::error::{Error, Result};
use crate::models::content::{ContentCounts, ContentModel};
use crate::models::item_knn::ItemKnn;
use crate::models::neighbours::Neighbours;
use crate::models::popularity::Popularity;
use crate::models::sequential::Sequential;
use crate::models::{Model, Scorer};
use crate::recommend::{CheckedQuery, Recommender};

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
    /// and [`open_partial`] only), with why.
    pub problems: Vec<(Model, Error)>,
    /// The models the manifest lists that are not opened yet
    /// ([`open_partial`]), in blend order.
    pub pending: Vec<Model>,
}

/// What a query asks of an index: which models it needs opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// Similar items, recommendations and trending: the models of the
    /// query's blend.
    Rank,
    /// Free-text search: the content model.
    Search,
}

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

/// Opens the manifest, the items and popularity (every query needs them:
/// popularity fills a short list), and of the other models only those in
/// `models`; the rest wait in [`OpenedIndex::pending`] until
/// [`OpenedIndex::open_models`]. So a page fetches only the shards its
/// queries need: a trending strip no neighbour lists, a product page with
/// item-kNN no content vectors. A model whose shards are missing or bad is
/// left out as in [`open_lenient`].
///
/// # Errors
/// [`Error::BadIndex`] for a bad manifest, items or popularity shard.
pub fn open_partial(manifest: &[u8], read: ReadFile, models: &[Model]) -> Result<OpenedIndex> {
    let manifest = Manifest::from_json(manifest)?;
    let config = manifest
        .config
        .clone()
        .check()
        .map_err(|e| Error::BadIndex {
            file: super::MANIFEST.to_string(),
            message: format!("its options do not check: {e}"),
        })?;
    let catalogue = Arc::new(catalogue(&manifest, read)?);
    // Every query falls back on popularity: without it, all items score 0
    // (catalogue order), as in a fit without interactions.
    let popularity: Arc<dyn Scorer> = if manifest.models.contains(&Model::Popular) {
        model(Model::Popular, &manifest, &config, read)?
    } else {
        Arc::new(Popularity::from_scores(vec![0.0; catalogue.len()]))
    };
    let pending = Model::SINGLE
        .iter()
        .copied()
        .filter(|m| *m != Model::Popular && manifest.models.contains(m))
        .collect();
    let mut opened = OpenedIndex {
        recommender: Recommender::new(catalogue, vec![popularity], config),
        manifest,
        problems: Vec::new(),
        pending,
    };
    opened.open_models(models, read);
    Ok(opened)
}

fn open_with(manifest: &[u8], read: ReadFile, lenient: bool) -> Result<OpenedIndex> {
    let opened = open_partial(manifest, read, &Model::SINGLE)?;
    match opened.problems.first() {
        Some((_, e)) if !lenient => Err(e.clone()),
        _ => Ok(opened),
    }
}

impl OpenedIndex {
    /// The models this index answers with: those its manifest lists, less
    /// those left out for bad shards (open or pending), in blend order.
    pub fn held(&self) -> Vec<Model> {
        let failed: Vec<Model> = self.problems.iter().map(|(m, _)| *m).collect();
        Model::SINGLE
            .iter()
            .copied()
            .filter(|m| self.manifest.models.contains(m) && !failed.contains(m))
            .collect()
    }

    /// Opens the pending models among `models`; one whose shards are
    /// missing or bad is left out and named in [`OpenedIndex::problems`]
    /// (the others still answer). Returns how many problems it added.
    pub fn open_models(&mut self, models: &[Model], read: ReadFile) -> usize {
        let wanted: Vec<Model> = self
            .pending
            .iter()
            .copied()
            .filter(|m| models.contains(m))
            .collect();
        if wanted.is_empty() {
            return 0;
        }
        self.pending.retain(|m| !wanted.contains(m));
        let rec = &self.recommender;
        let mut scorers: Vec<Arc<dyn Scorer>> = rec.models().to_vec();
        let before = self.problems.len();
        for kind in wanted {
            match model(kind, &self.manifest, rec.config(), read) {
                Ok(m) => scorers.push(m),
                Err(e) => self.problems.push((kind, e)),
            }
        }
        // Blend order, as a fit makes them.
        scorers.sort_by_key(|m| Model::SINGLE.iter().position(|&k| k == m.kind()));
        self.recommender = Recommender::new(
            Arc::clone(rec.shared_catalogue()),
            scorers,
            rec.config().clone(),
        );
        self.problems.len() - before
    }

    /// The models a query needs opened: for ranking, every model its blend
    /// weighs above 0 (the query's model alone, or the hybrid's weights),
    /// and the content model (else item-kNN) when it asks for diversity,
    /// which measures item similarity with it; for search, the content
    /// model. Popularity is always open.
    pub fn models_for(&self, kind: QueryKind, query: &CheckedQuery) -> Vec<Model> {
        let held = &self.manifest.models;
        let mut out: Vec<Model> = match kind {
            QueryKind::Search => vec![Model::Content],
            QueryKind::Rank => {
                let weights = query
                    .weights
                    .as_ref()
                    .unwrap_or(&self.recommender.config().hybrid.weights);
                let weights = crate::recommend::blend::effective_weights(query.model, weights);
                Model::SINGLE
                    .iter()
                    .copied()
                    .filter(|&m| weights.get(m) > 0.0)
                    .collect()
            }
        };
        if kind == QueryKind::Rank && query.diversity > 0.0 {
            out.push(if held.contains(&Model::Content) {
                Model::Content
            } else {
                Model::ItemKnn
            });
        }
        out.retain(|m| held.contains(m));
        out
    }

    /// The shard files of the pending models among `models`, in manifest
    /// order: what to fetch before [`OpenedIndex::open_models`].
    pub fn files_for(&self, models: &[Model]) -> Vec<String> {
        let kinds: Vec<ShardKind> = self
            .pending
            .iter()
            .filter(|m| models.contains(m))
            .flat_map(|&m| shard_kinds(m))
            .collect();
        self.manifest
            .shards
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .map(|s| s.file.clone())
            .collect()
    }
}

/// The shard kinds a model is read from.
fn shard_kinds(model: Model) -> Vec<ShardKind> {
    match model {
        Model::ItemKnn => vec![ShardKind::ItemKnn],
        Model::Sequential => vec![ShardKind::Sequential],
        Model::Content => vec![ShardKind::Features, ShardKind::Content],
        Model::Popular => vec![ShardKind::Popularity],
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

fn catalogue(manifest: &Manifest, read: ReadFile) -> Result<Catalogue> {
    let mut items = Vec::new();
    let numeric = manifest.fields.numeric.len();
    each_shard(manifest, ShardKind::Items, read, |r, count| {
        shards::decode_items(r, count, numeric, &mut items)
    })?;
    let fields = StoredFields {
        category: manifest.fields.category.clone(),
        price: manifest.fields.price.clone(),
        numeric: manifest.fields.numeric.clone(),
    };
    Catalogue::from_stored(items, &fields).map_err(|e| Error::BadIndex {
        file: "items shards".into(),
        message: e.to_string(),
    })
}

fn rows(manifest: &Manifest, kind: ShardKind, bound: usize, read: ReadFile) -> Result<Neighbours> {
    let mut out = Vec::with_capacity(manifest.items as usize);
    each_shard(manifest, kind, read, |r, count| {
        shards::decode_rows(r, count, bound, &mut out)
    })?;
    Ok(Neighbours::from_rows(out))
}

fn model(
    kind: Model,
    manifest: &Manifest,
    config: &CheckedConfig,
    read: ReadFile,
) -> Result<Arc<dyn Scorer>> {
    let n = manifest.items as usize;
    Ok(match kind {
        Model::ItemKnn => Arc::new(ItemKnn::from_neighbours(rows(
            manifest,
            ShardKind::ItemKnn,
            n,
            read,
        )?)),
        Model::Sequential => Arc::new(Sequential::from_successors(
            rows(manifest, ShardKind::Sequential, n, read)?,
            &config.sequential,
        )),
        Model::Popular => {
            let mut scores = Vec::with_capacity(n);
            each_shard(manifest, ShardKind::Popularity, read, |r, count| {
                shards::decode_popularity(r, count, &mut scores)
            })?;
            Arc::new(Popularity::from_scores(scores))
        }
        Model::Content => Arc::new(content(manifest, config, read)?),
        Model::UserKnn | Model::Hybrid => {
            return Err(Error::BadIndex {
                file: super::MANIFEST.to_string(),
                message: format!(
                    "lists model {:?}, which an index cannot hold",
                    kind.config_name()
                ),
            })
        }
    })
}

fn content(manifest: &Manifest, config: &CheckedConfig, read: ReadFile) -> Result<ContentModel> {
    let fields = &manifest.fields.content;
    let mut counts = ContentCounts::default();
    counts.features.reserve(manifest.counts.features as usize);
    if manifest.counts.features > 0 {
        each_shard(manifest, ShardKind::Features, read, |r, count| {
            shards::decode_features(r, count, fields.len(), &mut counts.features)
        })?;
    }
    counts.offsets.reserve(manifest.items as usize + 1);
    counts.offsets.push(0);
    each_shard(manifest, ShardKind::Content, read, |r, count| {
        shards::decode_content(r, count, &mut counts)
    })?;
    Ok(ContentModel::from_counts(
        counts,
        fields.clone(),
        &config.content,
    ))
}
