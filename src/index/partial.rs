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
//! [`OpenedIndex::open_files`] (in `opening.rs`) opens the files named. A
//! request whose stages are all open is answered exactly as by the whole
//! index.

use std::sync::Arc;

use super::load::{popularity_ranks, shard_kinds, stored_fields, OpenState, OpenedIndex, ReadFile};
use super::manifest::{Manifest, Shard};
use super::shards::{self, ShardKind};
use crate::data::catalogue::Catalogue;
use crate::data::history::Event;
use crate::error::{Error, Result};
use crate::models::content::ContentModel;
use crate::models::popularity::Popularity;
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
    // ALS's factors are fetched when a query first weighs ALS: they are
    // the largest shards, and a page that never asks for them pays nothing.
    let needs = Needs {
        models: models
            .iter()
            .copied()
            .filter(|&m| m != Model::Als)
            .collect(),
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
    pub(super) fn searches_terms(&self) -> bool {
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
    pub(super) fn has_links(&self) -> bool {
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
            ShardKind::Features | ShardKind::Content | ShardKind::Als => wanted.contains(&s.kind),
            ShardKind::Popularity => s.first < needs.ranks && held.contains(&Model::Popular),
            ShardKind::Terms => needs
                .terms
                .iter()
                .any(|f| (s.first..s.first + s.count).contains(f)),
            ShardKind::ItemKnn
            | ShardKind::Ease
            | ShardKind::Sequential
            | ShardKind::ContentLinks => wanted.contains(&s.kind) && any_of(s, &needs.items),
        };
        self.manifest
            .shards
            .iter()
            .filter(|s| covers(s) && !self.state.opened.contains(&s.file))
            .collect()
    }
}
