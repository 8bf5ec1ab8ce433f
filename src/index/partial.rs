//! Opening an index piece by piece, so a page fetches only the shards its
//! queries need.
//!
//! [`open_partial`] opens the manifest, the items and popularity (every
//! query needs them: results show items, and popularity fills a short
//! list). A query then says what it needs ([`OpenedIndex::needs`]): the
//! models its blend weighs, and the items whose lists it reads. Content is
//! opened whole (a query scores every item against the content vectors);
//! item-kNN and sequential lists open shard by shard, for the items a
//! query starts from (the product, the history). [`OpenedIndex::files_for`]
//! names the files still missing, and [`OpenedIndex::open`] opens them.
//! A query whose needs are open is answered exactly as by the whole index.

use std::sync::Arc;

use super::load::{catalogue, model, shard_kinds, OpenState, OpenedIndex, ReadFile};
use super::manifest::{Manifest, Shard};
use super::shards::{self, ShardKind};
use crate::error::{Error, Result};
use crate::models::item_knn::ItemKnn;
use crate::models::neighbours::Neighbours;
use crate::models::popularity::Popularity;
use crate::models::sequential::Sequential;
use crate::models::{Model, Scorer};
use crate::recommend::{CheckedQuery, Recommender};

/// What kind of query asks: search reads the content model only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// Similar items, recommendations and trending: the models of the
    /// query's blend.
    Rank,
    /// Free-text search: the content model.
    Search,
}

/// What a query needs open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    /// The models, in blend order (popularity is always open).
    pub models: Vec<Model>,
    /// The items whose neighbour and successor lists it reads (the query
    /// item, the history's items), or `None` for every item's.
    pub items: Option<Vec<u32>>,
}

/// Opens the manifest, the items and popularity, and those of `models`
/// that open whole (content); neighbour lists wait for the items a query
/// starts from ([`OpenedIndex::open`]).
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
    // Without popularity, all items score 0 (catalogue order), as in a fit
    // without interactions.
    let popularity: Arc<dyn Scorer> = if manifest.models.contains(&Model::Popular) {
        model(Model::Popular, &manifest, &config, read)?
    } else {
        Arc::new(Popularity::from_scores(vec![0.0; catalogue.len()]))
    };
    let mut state = OpenState::default();
    state.opened.extend(
        manifest
            .shards
            .iter()
            .filter(|s| matches!(s.kind, ShardKind::Items | ShardKind::Popularity))
            .map(|s| s.file.clone()),
    );
    let mut opened = OpenedIndex {
        recommender: Recommender::new(catalogue, vec![popularity], config),
        manifest,
        problems: Vec::new(),
        state,
    };
    let needs = Needs {
        models: models.to_vec(),
        items: Some(Vec::new()),
    };
    opened.open(&needs, read);
    Ok(opened)
}

impl OpenedIndex {
    /// What a query needs open. Ranking: every model its blend weighs above
    /// 0 (the query's model alone, or the hybrid's weights), plus the
    /// content model (else item-kNN, then for every item) when it asks for
    /// diversity, which measures item similarity with it; the lists of
    /// `items`. Search: the content model. Only models the index holds.
    pub fn needs(&self, kind: QueryKind, query: &CheckedQuery, items: &[u32]) -> Needs {
        let held = self.held();
        let mut models: Vec<Model> = match kind {
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
        let mut every_item = false;
        if kind == QueryKind::Rank && query.diversity > 0.0 {
            if held.contains(&Model::Content) {
                models.push(Model::Content);
            } else {
                models.push(Model::ItemKnn);
                every_item = true;
            }
        }
        models.retain(|m| held.contains(m));
        Needs {
            models,
            items: (!every_item).then(|| items.to_vec()),
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

    fn shards_for(&self, needs: &Needs) -> Vec<&Shard> {
        let held = self.held();
        let wanted: Vec<ShardKind> = needs
            .models
            .iter()
            .filter(|m| held.contains(m))
            .flat_map(|&m| shard_kinds(m))
            .collect();
        let covers = |s: &Shard| {
            let whole = matches!(s.kind, ShardKind::Features | ShardKind::Content);
            whole
                || needs.items.as_ref().is_none_or(|items| {
                    items
                        .iter()
                        .any(|&i| (s.first..s.first + s.count).contains(&i))
                })
        };
        self.manifest
            .shards
            .iter()
            .filter(|s| wanted.contains(&s.kind) && covers(s))
            .filter(|s| !self.state.opened.contains(&s.file))
            .collect()
    }

    /// Opens what `needs` names; a model whose shards are missing or bad is
    /// left out and named in [`OpenedIndex::problems`] (the others still
    /// answer). Returns how many problems it added.
    pub fn open(&mut self, needs: &Needs, read: ReadFile) -> usize {
        self.open_where(needs, &|_| true, read)
    }

    /// [`OpenedIndex::open`], of the files `at_hand` holds only: the list
    /// shards among them, and a model that opens whole when all its files
    /// are there. The rest waits for a later call (a page that fetched
    /// small lists with the manifest opens them before any query).
    pub fn open_where(
        &mut self,
        needs: &Needs,
        at_hand: &dyn Fn(&str) -> bool,
        read: ReadFile,
    ) -> usize {
        let shards: Vec<Shard> = self.shards_for(needs).into_iter().cloned().collect();
        if shards.is_empty() {
            return 0;
        }
        let before = self.problems.len();
        for m in Model::SINGLE {
            let kinds = shard_kinds(m);
            let mut mine: Vec<&Shard> = shards.iter().filter(|s| kinds.contains(&s.kind)).collect();
            if matches!(m, Model::ItemKnn | Model::Sequential) {
                mine.retain(|s| at_hand(&s.file));
            } else if !mine.iter().all(|s| at_hand(&s.file)) {
                continue;
            }
            if mine.is_empty() {
                continue;
            }
            self.state
                .opened
                .extend(mine.iter().map(|s| s.file.clone()));
            let opened = match m {
                Model::ItemKnn | Model::Sequential => self.open_lists(m, &mine, read),
                _ => model(m, &self.manifest, self.recommender.config(), read),
            };
            match opened {
                Ok(scorer) => self.replace(scorer),
                Err(e) => {
                    self.problems.push((m, e));
                    self.remove(m);
                }
            }
        }
        self.problems.len() - before
    }

    /// Reads list shards of a neighbour-list model into its rows so far,
    /// and the model from them.
    fn open_lists(&mut self, m: Model, list: &[&Shard], read: ReadFile) -> Result<Arc<dyn Scorer>> {
        let n = self.manifest.items as usize;
        let slot = match self.state.rows.iter().position(|(k, _)| *k == m) {
            Some(slot) => slot,
            None => {
                self.state.rows.push((m, vec![Vec::new(); n]));
                self.state.rows.len() - 1
            }
        };
        let rows = &mut self.state.rows[slot].1;
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
            for (k, row) in read_rows.drain(..).enumerate() {
                rows[s.first as usize + k] = row;
            }
        }
        let lists = Neighbours::from_rows(rows.clone());
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
        );
    }
}
