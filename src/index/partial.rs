//! Opening an index piece by piece, so a page fetches only the shards its
//! queries need.
//!
//! [`open_partial`] opens the manifest and popularity (every ranking query
//! falls back on it) and knows no item yet. A request then goes through up
//! to three stages ([`OpenedIndex::missing`]), each naming the files it
//! still lacks:
//!
//! 1. **ids**: the id-directory buckets of the ids it names (the product,
//!    the history, excluded ids), so they become item indices;
//! 2. **models** ([`OpenedIndex::needs`]): the models its blend weighs;
//!    item-kNN, sequential and content links shard by shard for the items
//!    it starts from; content vectors whole (search, diversity); every
//!    items shard when a filter tests item fields;
//! 3. **items**: the query is run, and the items shards of its results
//!    and of the items it starts from (explanations name them) are named.
//!
//! [`OpenedIndex::open`] opens the files named. A request whose stages are
//! all open is answered exactly as by the whole index.

use std::sync::Arc;

use super::load::{
    content, features, popularity_ranks, shard_kinds, stored_fields, OpenState, OpenedIndex,
    ReadFile,
};
use super::manifest::{Manifest, Shard};
use super::shards::{self, ShardKind};
use crate::data::catalogue::Catalogue;
use crate::data::history::Event;
use crate::error::{Error, Result};
use crate::models::content::{ContentLinks, ContentModel, Feature};
use crate::models::item_knn::ItemKnn;
use crate::models::neighbours::Neighbours;
use crate::models::popularity::Popularity;
use crate::models::sequential::Sequential;
use crate::models::{Model, Scorer};
use crate::recommend::{CheckedQuery, Recommendation, Recommender};

/// What kind of query asks: search reads the content vectors only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// Similar items, recommendations and trending: the models of the
    /// query's blend.
    Rank,
    /// Free-text search: the content vectors.
    Search,
}

/// A request to a partly opened index, with what it starts from.
#[derive(Debug, Clone, Copy)]
pub enum Request<'a> {
    /// Items similar to this id.
    Similar(&'a str),
    /// Recommendations for this history.
    Recommend(&'a [Event]),
    /// Popular (trending) items.
    Popular,
    /// Items matching this text.
    Search(&'a str),
    /// The display fields of these ids.
    Items(&'a [String]),
}

impl Request<'_> {
    fn kind(&self) -> QueryKind {
        match self {
            Request::Search(_) => QueryKind::Search,
            _ => QueryKind::Rank,
        }
    }

    /// The ids it names, excluded ids of the filter included.
    fn ids(&self, query: &CheckedQuery) -> Vec<String> {
        let mut ids: Vec<String> = match self {
            Request::Similar(id) => vec![id.to_string()],
            Request::Recommend(events) => events.iter().map(|e| e.item.clone()).collect(),
            Request::Items(ids) => ids.to_vec(),
            Request::Popular | Request::Search(_) => Vec::new(),
        };
        ids.extend(query.filter.exclude.iter().cloned());
        ids
    }
}

/// What a query needs open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Needs {
    /// The models, in blend order (popularity is always open).
    pub models: Vec<Model>,
    /// The items whose neighbour, successor and content lists it reads
    /// (the query item, the history's items), or `None` for every item's.
    pub items: Option<Vec<u32>>,
    /// Whether it reads the content vectors (search, diversity). Content
    /// among `models` ranks by the content links when the index has them.
    pub vectors: bool,
    /// Ids to find in the id directory.
    pub ids: Vec<String>,
    /// The items whose records (display and filter fields) it reads, or
    /// `None` for every item's.
    pub shown: Option<Vec<u32>>,
    /// How many of the most popular items it reads the popularity of
    /// (`u32::MAX`: every item's). Items further down count 0.
    pub ranks: u32,
    /// The content features whose postings it reads (search).
    pub terms: Vec<u32>,
}

impl Needs {
    /// Everything an index holds of `models`: every shard.
    pub fn everything(models: Vec<Model>) -> Needs {
        Needs {
            models,
            items: None,
            vectors: true,
            ids: Vec::new(),
            shown: None,
            ranks: u32::MAX,
            terms: Vec::new(),
        }
    }
}

/// Opens the manifest, popularity, and those of `models` that open whole
/// (content vectors when the index has no links); items, ids and lists
/// wait for the requests that need them ([`OpenedIndex::missing`]).
///
/// # Errors
/// [`Error::BadIndex`] for a bad manifest or popularity shard.
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
    let catalogue = Catalogue::unopened(manifest.items as usize, &stored_fields(&manifest))
        .map_err(|e| Error::BadIndex {
            file: super::MANIFEST.to_string(),
            message: e.to_string(),
        })?;
    let mut state = OpenState::default();
    // Popularity's first ranks: trending reads them, and every ranking
    // query fills a short list from them. Without popularity (an index
    // built without a log), all items score 0, as in a fit without
    // interactions.
    let head: Vec<&Shard> = manifest.shards_of(ShardKind::Popularity).take(1).collect();
    if manifest.models.contains(&Model::Popular) {
        popularity_ranks(&manifest, &head, read, &mut state.ranked)?;
    }
    state.opened.extend(head.iter().map(|s| s.file.clone()));
    let popularity = Popularity::from_ranked(catalogue.len(), &state.ranked);
    let popularity: Arc<dyn Scorer> = Arc::new(popularity);
    let mut opened = OpenedIndex {
        recommender: Recommender::new(Arc::new(catalogue), vec![popularity], config),
        manifest,
        problems: Vec::new(),
        state,
    };
    let needs = Needs {
        models: models.to_vec(),
        items: Some(Vec::new()),
        shown: Some(Vec::new()),
        ..Needs::default()
    };
    opened.open(&needs, read)?;
    Ok(opened)
}

impl OpenedIndex {
    /// The files `request` still needs, one stage at a time (see the
    /// module): empty once it can be answered. Call [`OpenedIndex::open`]
    /// with them, then ask again.
    pub fn missing(&self, request: &Request, query: &CheckedQuery) -> Vec<String> {
        let files = self.missing_to_run(request, query);
        if !files.is_empty() {
            return files;
        }
        // An error here is the query's own: it is reported when it runs.
        let results = self.answer(request, query).unwrap_or_default();
        self.missing_to_show(request, query, &results)
    }

    /// Stages 1 and 2: the files `request` needs before it can run.
    pub fn missing_to_run(&self, request: &Request, query: &CheckedQuery) -> Vec<String> {
        let ids = Needs {
            ids: request.ids(query),
            shown: Some(Vec::new()),
            items: Some(Vec::new()),
            ..Needs::default()
        };
        let files = self.files_for(&ids);
        if !files.is_empty() || matches!(request, Request::Items(_)) {
            return files;
        }
        if let Request::Search(text) = request {
            if self.searches_terms() {
                return self.missing_terms(text);
            }
        }
        let items = self.indices(&ids.ids);
        self.files_for(&self.needs(request.kind(), query, &items))
    }

    /// Whether search reads term shards: the index has them and the
    /// content vectors are not open (they answer search when they are).
    fn searches_terms(&self) -> bool {
        let vectors = self.recommender.content_vectors();
        self.manifest.shards_of(ShardKind::Terms).next().is_some()
            && self.held().contains(&Model::Content)
            && !vectors.is_some_and(ContentModel::has_vectors)
    }

    /// Search from term shards: the vocabulary (the features) first, then
    /// the shards of the features the text matches.
    fn missing_terms(&self, text: &str) -> Vec<String> {
        let Some(vocabulary) = self.recommender.content_vectors() else {
            return self
                .kind_shards(&[ShardKind::Features])
                .into_iter()
                .filter(|s| !self.state.opened.contains(&s.file))
                .map(|s| s.file)
                .collect();
        };
        let terms = vocabulary
            .text_query(text)
            .iter()
            .map(|&(f, _)| f)
            .collect();
        self.files_for(&Needs {
            terms,
            items: Some(Vec::new()),
            shown: Some(Vec::new()),
            ..Needs::default()
        })
    }

    /// Stage 3: the items shards of `results` and of the items `request`
    /// starts from (explanations name them), not open yet.
    pub fn missing_to_show(
        &self,
        request: &Request,
        query: &CheckedQuery,
        results: &[Recommendation],
    ) -> Vec<String> {
        let mut shown = self.indices(&request.ids(query));
        shown.extend(results.iter().map(|r| r.index));
        self.files_for(&Needs {
            shown: Some(shown),
            items: Some(Vec::new()),
            ..Needs::default()
        })
    }

    /// The indices of the ids the catalogue knows so far.
    fn indices(&self, ids: &[String]) -> Vec<u32> {
        let catalogue = self.recommender.catalogue();
        ids.iter().filter_map(|id| catalogue.index_of(id)).collect()
    }

    /// Answers a request from what is open.
    ///
    /// # Errors
    /// The query's own errors.
    pub fn answer(&self, request: &Request, query: &CheckedQuery) -> Result<Vec<Recommendation>> {
        let rec = &self.recommender;
        match *request {
            Request::Similar(id) => rec.similar_items(id, query),
            Request::Recommend(events) => rec.recommend(events, query),
            Request::Popular => rec.popular(query),
            Request::Search(text) => rec.search(text, query),
            Request::Items(_) => Ok(Vec::new()),
        }
    }

    /// What a query needs open. Ranking: every model its blend weighs above
    /// 0 (the query's model alone, or the hybrid's weights), plus the
    /// content vectors (else item-kNN, then for every item) when it asks
    /// for diversity, which measures item similarity with them; the lists
    /// of `items`; every item's record when its filter tests their fields.
    /// Search: the content vectors. Only models the index holds.
    pub fn needs(&self, kind: QueryKind, query: &CheckedQuery, items: &[u32]) -> Needs {
        let held = self.held();
        let mut vectors = kind == QueryKind::Search && !self.searches_terms();
        let mut models: Vec<Model> = match kind {
            QueryKind::Search => Vec::new(),
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
        let mut every_item = false;
        if kind == QueryKind::Rank && query.diversity > 0.0 {
            if held.contains(&Model::Content) {
                vectors = true;
            } else {
                models.push(Model::ItemKnn);
                every_item = true;
            }
        }
        models.retain(|m| held.contains(m));
        let f = &query.filter;
        let tests_fields = f.in_stock_only
            || !f.categories.is_empty()
            || !f.exclude_categories.is_empty()
            || f.min_price.is_some()
            || f.max_price.is_some();
        // Ranking fills from the popularity order, after dropping excluded
        // items, over a diversity pool of max(5k, 50) at most.
        let pool = (query.k.saturating_mul(5).max(50) + f.exclude.len() + items.len()) as u32;
        Needs {
            models,
            items: (!every_item).then(|| items.to_vec()),
            vectors,
            ids: Vec::new(),
            shown: (!tests_fields).then(Vec::new),
            ranks: match kind {
                QueryKind::Search => 0,
                QueryKind::Rank if tests_fields => u32::MAX,
                QueryKind::Rank => pool,
            },
            terms: Vec::new(),
        }
    }

    /// The shard files `needs` names that are not open yet, in manifest order.
    pub fn files_for(&self, needs: &Needs) -> Vec<String> {
        self.shards_for(needs)
            .into_iter()
            .map(|s| s.file.clone())
            .collect()
    }

    /// Whether everything `needs` names is open (or was found bad).
    pub fn is_ready(&self, needs: &Needs) -> bool {
        self.shards_for(needs).is_empty()
    }

    /// Whether the index ranks content by its links.
    fn has_links(&self) -> bool {
        self.manifest
            .shards_of(ShardKind::ContentLinks)
            .next()
            .is_some()
    }

    fn shards_for(&self, needs: &Needs) -> Vec<&Shard> {
        let held = self.held();
        let links = self.has_links();
        let mut wanted: Vec<ShardKind> = needs
            .models
            .iter()
            .filter(|m| held.contains(m))
            .flat_map(|&m| shard_kinds(m, links))
            .collect();
        if needs.vectors && held.contains(&Model::Content) {
            wanted.extend(shard_kinds(Model::Content, false));
        }
        let buckets: Vec<u32> = needs
            .ids
            .iter()
            .filter(|id| self.recommender.catalogue().index_of(id).is_none())
            .map(|id| shards::bucket_of(id, self.manifest.counts.id_buckets))
            .collect();
        let any_of = |s: &Shard, items: &Option<Vec<u32>>| {
            items.as_ref().is_none_or(|items| {
                items
                    .iter()
                    .any(|&i| (s.first..s.first + s.count).contains(&i))
            })
        };
        let covers = |s: &Shard| match s.kind {
            ShardKind::Ids => buckets
                .iter()
                .any(|b| (s.first..s.first + s.count).contains(b)),
            ShardKind::Items => any_of(s, &needs.shown),
            ShardKind::Features | ShardKind::Content => wanted.contains(&s.kind),
            ShardKind::Popularity => s.first < needs.ranks && held.contains(&Model::Popular),
            ShardKind::Terms => needs
                .terms
                .iter()
                .any(|f| (s.first..s.first + s.count).contains(f)),
            ShardKind::ItemKnn | ShardKind::Sequential | ShardKind::ContentLinks => {
                wanted.contains(&s.kind) && any_of(s, &needs.items)
            }
        };
        self.manifest
            .shards
            .iter()
            .filter(|s| covers(s) && !self.state.opened.contains(&s.file))
            .collect()
    }

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
        for m in [Model::ItemKnn, Model::Sequential] {
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
        if self.state.features.is_some() && self.searches_terms() {
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

    fn kind_shards(&self, kinds: &[ShardKind]) -> Vec<Shard> {
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
            _ => Arc::new(Sequential::from_successors(
                lists,
                &self.recommender.config().sequential,
            )),
        })
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
