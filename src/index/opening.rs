//! Opening the files of an index a request named ([`super::partial`]
//! decides which): ids and items into the catalogue, list shards into
//! their models' rows, kinds that open whole once all their files are at
//! hand, and the search postings.

use std::sync::Arc;

use super::load::{content, features, popularity_ranks, shard_kinds, OpenedIndex, ReadFile};
use super::manifest::Shard;
use super::partial::Needs;
use super::shards::{self, ShardKind};
use crate::error::{Error, Result};
use crate::models::als::Als;
use crate::models::content::{ContentLinks, ContentModel, Feature};
use crate::models::ease::Ease;
use crate::models::item_knn::ItemKnn;
use crate::models::neighbours::Neighbours;
use crate::models::popularity::Popularity;
use crate::models::sequential::Sequential;
use crate::models::{Model, Scorer};
use crate::recommend::Recommender;

impl OpenedIndex {
    /// Opens what `needs` names; a model whose shards are missing or bad is
    /// left out and named in [`OpenedIndex::problems`] (the others still
    /// answer). Returns how many problems it added.
    ///
    /// # Errors
    /// [`Error::BadIndex`] for a missing or bad ids or items shard: the
    /// request cannot be answered without them.
    pub fn open(&mut self, needs: &Needs, read: ReadFile) -> Result<usize> {
        let files = self.files_for(needs);
        self.open_files(&|f| files.iter().any(|g| g == f), read)
    }

    /// Opens every shard `at_hand` holds that is not open yet: ids, items
    /// and list shards one by one, a kind that opens whole (the content
    /// vectors) once all its files are at hand or open. The rest waits for
    /// a later call (a page that fetched small lists with the manifest
    /// opens them before any query; a request's rounds of
    /// [`OpenedIndex::missing`] open here).
    ///
    /// # Errors
    /// As [`OpenedIndex::open`].
    pub fn open_files(&mut self, at_hand: &dyn Fn(&str) -> bool, read: ReadFile) -> Result<usize> {
        let held = self.held();
        let lost = |kind: ShardKind| {
            let of = |m: Model| !held.contains(&m) && self.manifest.models.contains(&m);
            match kind {
                ShardKind::ItemKnn => of(Model::ItemKnn),
                ShardKind::Ease => of(Model::Ease),
                ShardKind::Als => of(Model::Als),
                ShardKind::Sequential => of(Model::Sequential),
                ShardKind::Content | ShardKind::ContentLinks => of(Model::Content),
                _ => false,
            }
        };
        let shards: Vec<Shard> = self
            .manifest
            .shards
            .iter()
            .filter(|s| at_hand(&s.file) && !self.state.opened.contains(&s.file) && !lost(s.kind))
            .cloned()
            .collect();
        if shards.is_empty() {
            return Ok(0);
        }
        self.open_records(&shards, read)?;
        let before = self.problems.len();
        let had_vocabulary = self.state.features.is_some();
        // A kind that opens whole: all its files at hand or open.
        let whole = |kind: ShardKind| {
            self.manifest
                .shards_of(kind)
                .all(|s| self.state.opened.contains(&s.file) || at_hand(&s.file))
        };
        let features = self.state.features.is_some() || whole(ShardKind::Features);
        let vectors = shards.iter().any(|s| s.kind == ShardKind::Content)
            && whole(ShardKind::Content)
            && features;
        let links = shards.iter().any(|s| s.kind == ShardKind::ContentLinks) && features;
        let factors = shards.iter().any(|s| s.kind == ShardKind::Als) && whole(ShardKind::Als);
        if self.state.features.is_none()
            && features
            && shards.iter().any(|s| s.kind == ShardKind::Features)
        {
            // The vocabulary on its own (a page fetches it with the
            // manifest): read now, so it is not asked for again.
            self.mark_opened(&self.kind_shards(&[ShardKind::Features]));
            if let Err(e) = self.features(read) {
                self.lose(Model::Content, e);
            }
        }
        for m in [Model::ItemKnn, Model::Ease, Model::Sequential] {
            let kind = shard_kinds(m, false)[0];
            let list: Vec<Shard> = shards.iter().filter(|s| s.kind == kind).cloned().collect();
            if list.is_empty() {
                continue;
            }
            self.mark_opened(&list);
            match self.open_lists(m, &list, read) {
                Ok(scorer) => self.replace(scorer),
                Err(e) => self.lose(m, e),
            }
        }
        if factors {
            let all = self.kind_shards(&[ShardKind::Als]);
            self.mark_opened(&all);
            match self.open_factors(&all, read) {
                Ok(scorer) => self.replace(scorer),
                Err(e) => self.lose(Model::Als, e),
            }
        }
        if vectors {
            self.mark_opened(&self.kind_shards(&[ShardKind::Features, ShardKind::Content]));
            if let Err(e) = self.open_vectors(read) {
                self.lose(Model::Content, e);
            }
        }
        if links {
            let mine: Vec<Shard> = shards
                .iter()
                .filter(|s| s.kind == ShardKind::ContentLinks)
                .cloned()
                .collect();
            self.mark_opened(&mine);
            self.mark_opened(&self.kind_shards(&[ShardKind::Features]));
            match self.open_content_links(&mine, read) {
                Ok(scorer) => self.replace(scorer),
                Err(e) => self.lose(Model::Content, e),
            }
        }
        let terms: Vec<Shard> = shards
            .iter()
            .filter(|s| s.kind == ShardKind::Terms)
            .cloned()
            .collect();
        if !terms.is_empty() && features {
            self.open_terms(&terms, read)?;
        }
        // The search model is rebuilt only when its parts changed: not on
        // every round of every request.
        let vocabulary_read = !had_vocabulary && self.state.features.is_some();
        if (vocabulary_read || !terms.is_empty()) && self.searches_terms() {
            self.search_from_terms();
        }
        Ok(self.problems.len() - before)
    }

    /// Reads terms shards into the postings so far.
    ///
    /// # Errors
    /// [`Error::BadIndex`] for a bad shard: the search cannot be answered.
    fn open_terms(&mut self, shards: &[Shard], read: ReadFile) -> Result<()> {
        let features = self.features(read)?.len();
        if self.state.postings.is_empty() {
            self.state.postings = vec![Vec::new(); features];
        }
        let n = self.manifest.items as usize;
        for s in shards {
            let bytes = read(&s.file)?;
            let mut rows = Vec::with_capacity(s.count as usize);
            let r = shards::open(&s.file, &bytes, s.kind, s.first, s.count)?;
            shards::decode_terms(r, s.count, n, &mut rows)?;
            for (k, row) in rows.into_iter().enumerate() {
                self.state.postings[s.first as usize + k] = row;
            }
            self.state.opened.insert(s.file.clone());
        }
        Ok(())
    }

    /// A content model for search from the vocabulary and the postings
    /// read so far, kept beside the models (it cannot rank).
    fn search_from_terms(&mut self) {
        let features = self.state.features.clone().unwrap_or_default();
        let mut postings = self.state.postings.clone();
        postings.resize(features.len(), Vec::new());
        let postings = crate::sparse::Csr::from_rows(self.manifest.items as usize, postings);
        let fields = self.content_fields();
        let model = ContentModel::for_search(
            postings,
            features,
            fields,
            &self.recommender.config().content,
        );
        let rec = self.recommender.clone();
        self.recommender = rec.with_vectors(Some(Arc::new(model)));
    }

    /// Name and role of each content field, by field index.
    fn content_fields(&self) -> Vec<(String, crate::data::catalogue::Role)> {
        let fields = &self.manifest.fields.content;
        fields.iter().map(|f| (f.name.clone(), f.role)).collect()
    }

    pub(super) fn kind_shards(&self, kinds: &[ShardKind]) -> Vec<Shard> {
        self.manifest
            .shards
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .cloned()
            .collect()
    }

    fn mark_opened(&mut self, shards: &[Shard]) {
        self.state
            .opened
            .extend(shards.iter().map(|s| s.file.clone()));
    }

    /// A model's shards were bad: it is left out, with why.
    fn lose(&mut self, model: Model, e: Error) {
        self.problems.push((model, e));
        self.remove(model);
    }

    /// Opens the ids and items shards among `shards` into the catalogue.
    fn open_records(&mut self, shards: &[Shard], read: ReadFile) -> Result<()> {
        let n = self.manifest.items as usize;
        let buckets = self.manifest.counts.id_buckets;
        let numeric = self.manifest.fields.numeric.len();
        for s in shards {
            match s.kind {
                ShardKind::Ids => {
                    let bytes = read(&s.file)?;
                    let mut entries = Vec::new();
                    let r = shards::open(&s.file, &bytes, s.kind, s.first, s.count)?;
                    shards::decode_ids(r, s.first, s.count, buckets, n, &mut entries)?;
                    let catalogue = self.recommender.catalogue_mut();
                    for (id, item) in entries {
                        catalogue.learn_id(id, item).map_err(|e| bad(s, e))?;
                    }
                }
                ShardKind::Items => {
                    let bytes = read(&s.file)?;
                    let mut items = Vec::with_capacity(s.count as usize);
                    let r = shards::open(&s.file, &bytes, s.kind, s.first, s.count)?;
                    shards::decode_items(r, s.count, numeric, &mut items)?;
                    self.recommender
                        .catalogue_mut()
                        .fill_stored(s.first as usize, items)
                        .map_err(|e| bad(s, e))?;
                }
                ShardKind::Popularity => {
                    // Ranks open in order: a shard after a gap waits.
                    if s.first as usize != self.state.ranked.len() {
                        continue;
                    }
                    let mut ranked = std::mem::take(&mut self.state.ranked);
                    let read_ranks = popularity_ranks(&self.manifest, &[s], read, &mut ranked);
                    self.state.ranked = ranked;
                    read_ranks?;
                    let popularity = Popularity::from_ranked(n, &self.state.ranked);
                    self.replace(Arc::new(popularity));
                }
                _ => continue,
            }
            self.state.opened.insert(s.file.clone());
        }
        Ok(())
    }

    /// The content features, read once.
    fn features(&mut self, read: ReadFile) -> Result<Vec<Feature>> {
        if self.state.features.is_none() {
            self.state.features = Some(features(&self.manifest, read)?);
        }
        Ok(self.state.features.clone().unwrap_or_default())
    }

    /// Opens the content vectors: the content model itself, or (when the
    /// index ranks content by its links) kept beside it for search and
    /// diversity.
    fn open_vectors(&mut self, read: ReadFile) -> Result<()> {
        let features = self.features(read)?;
        let model = Arc::new(content(
            &self.manifest,
            self.recommender.config(),
            features,
            read,
        )?);
        if self.has_links() {
            let rec = self.recommender.clone();
            self.recommender = rec.with_vectors(Some(model));
        } else {
            self.replace(model);
        }
        Ok(())
    }

    /// Reads content-links shards into the rows so far, and the model.
    fn open_content_links(&mut self, list: &[Shard], read: ReadFile) -> Result<Arc<dyn Scorer>> {
        let features = self.features(read)?;
        let n = self.manifest.items as usize;
        if self.state.explained.is_empty() {
            self.state.explained = vec![Vec::new(); n];
        }
        let mut read_rows = Vec::new();
        for s in list {
            let bytes = read(&s.file)?;
            read_rows.clear();
            let r = shards::open(&s.file, &bytes, s.kind, s.first, s.count)?;
            shards::decode_content_links(r, s.count, n, features.len(), &mut read_rows)?;
            let rows = self.rows_of(Model::Content);
            for (k, (row, _)) in read_rows.iter().enumerate() {
                rows[s.first as usize + k] = row.clone();
            }
            for (k, (_, explained)) in read_rows.drain(..).enumerate() {
                self.state.explained[s.first as usize + k] = explained;
            }
        }
        let fields = self.content_fields();
        let rows = self.rows_of(Model::Content).clone();
        Ok(Arc::new(ContentLinks::from_parts(
            rows,
            self.state.explained.clone(),
            features,
            fields,
        )))
    }

    /// A list model's rows so far (empty rows for every item at first).
    fn rows_of(&mut self, m: Model) -> &mut Vec<Vec<(u32, f32)>> {
        let n = self.manifest.items as usize;
        let slot = match self.state.rows.iter().position(|(k, _)| *k == m) {
            Some(slot) => slot,
            None => {
                self.state.rows.push((m, vec![Vec::new(); n]));
                self.state.rows.len() - 1
            }
        };
        &mut self.state.rows[slot].1
    }

    /// Reads list shards of a neighbour-list model into its rows so far,
    /// and the model from them.
    fn open_lists(&mut self, m: Model, list: &[Shard], read: ReadFile) -> Result<Arc<dyn Scorer>> {
        let n = self.manifest.items as usize;
        let mut read_rows = Vec::new();
        for s in list {
            let bytes = read(&s.file)?;
            read_rows.clear();
            shards::decode_rows(
                shards::open(&s.file, &bytes, s.kind, s.first, s.count)?,
                s.kind,
                s.count,
                n,
                &mut read_rows,
            )?;
            let rows = self.rows_of(m);
            for (k, row) in read_rows.drain(..).enumerate() {
                rows[s.first as usize + k] = row;
            }
        }
        let lists = Neighbours::from_rows(self.rows_of(m).clone());
        Ok(match m {
            Model::ItemKnn => Arc::new(ItemKnn::from_neighbours(lists)),
            Model::Ease => Arc::new(Ease::from_neighbours(lists)),
            _ => Arc::new(Sequential::from_successors(
                lists,
                &self.recommender.config().sequential,
            )),
        })
    }

    /// Reads every ALS shard, and the model from them and the manifest's
    /// fold-in parts.
    fn open_factors(&self, all: &[Shard], read: ReadFile) -> Result<Arc<dyn Scorer>> {
        let missing = || Error::BadIndex {
            file: super::manifest::MANIFEST.to_string(),
            message: "holds ALS shards but no \"als\" fold-in parts".into(),
        };
        let parts = self.manifest.als.as_ref().ok_or_else(missing)?;
        let d = parts.factors;
        if d == 0 || parts.gram.len() != d * (d + 1) / 2 {
            return Err(Error::BadIndex {
                file: super::manifest::MANIFEST.to_string(),
                message: format!(
                    "\"als\" has {} gram numbers for {d} factors; expected d(d + 1)/2 = {}",
                    parts.gram.len(),
                    d * (d + 1) / 2
                ),
            });
        }
        let n = self.manifest.items as usize;
        let mut factors = Vec::with_capacity(n * d);
        for s in all {
            let bytes = read(&s.file)?;
            let r = shards::open(&s.file, &bytes, s.kind, s.first, s.count)?;
            super::factors::decode_factors(r, s.count, d, &mut factors)?;
        }
        let mut gram = ndarray::Array2::<f32>::zeros((d, d));
        let mut upper = parts.gram.iter();
        for r in 0..d {
            for c in r..d {
                let v = *upper.next().expect("length checked above");
                gram[[r, c]] = v;
                gram[[c, r]] = v;
            }
        }
        let items = ndarray::Array2::from_shape_vec((n, d), factors)
            .expect("every item's d factors were read");
        Ok(Arc::new(Als::from_parts(items, gram, parts.alpha)))
    }

    /// The recommender with `scorer` in place of its model of that kind
    /// (or added), in blend order.
    fn replace(&mut self, scorer: Arc<dyn Scorer>) {
        let kind = scorer.kind();
        self.remove(kind);
        let mut models = self.recommender.models().to_vec();
        models.push(scorer);
        // One model per kind, so an unstable sort gives the same order (and
        // the query module carries no stable sort).
        models.sort_unstable_by_key(|m| Model::SINGLE.iter().position(|&k| k == m.kind()));
        self.rebuild(models);
    }

    fn remove(&mut self, kind: Model) {
        let models = self
            .recommender
            .models()
            .iter()
            .filter(|m| m.kind() != kind)
            .cloned()
            .collect();
        self.rebuild(models);
    }

    fn rebuild(&mut self, models: Vec<Arc<dyn Scorer>>) {
        let rec = &self.recommender;
        self.recommender = Recommender::new(
            Arc::clone(rec.shared_catalogue()),
            models,
            rec.config().clone(),
        )
        .with_vectors(rec.shared_vectors().cloned());
    }
}

/// A records shard whose records contradict the index (an id twice).
fn bad(s: &Shard, e: Error) -> Error {
    Error::BadIndex {
        file: s.file.clone(),
        message: e.to_string(),
    }
}
