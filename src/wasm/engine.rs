//! `Engine`: a catalogue, its interactions and fitted models behind one handle.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

#[cfg(feature = "wasm-recommend")]
use super::convert::value_from_js;
use super::convert::{from_js, js_error, options_from_js, to_js};
use crate::config::CheckedConfig;
#[cfg(feature = "wasm-recommend")]
use crate::config::Config;
use crate::data::catalogue::{Catalogue, ItemView};
use crate::data::history::Event;
use crate::data::interactions::Interactions;
use crate::error::Error;
use crate::index::{OpenedIndex, Request};
use crate::models::Model;
#[cfg(feature = "wasm-recommend")]
use crate::recommend::fit::{fit, no_clock, FitPlan};
use crate::recommend::{CheckedQuery, Query, Recommendation, Recommender};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A reason a result was given. */
export type Reason =
  | { kind: "sharedFeature"; field: string; value: string; weight: number }
  | { kind: "alsoInteracted"; item: string; title: string; weight: number }
  | { kind: "chosenAfter"; item: string; title: string; weight: number }
  | { kind: "becauseYouChose"; item: string; title: string; weight: number }
  | { kind: "similarShoppers"; count: number }
  | { kind: "popular"; score: number };

/** An item's display fields, exactly as in the catalogue (links not resolved). */
export interface ItemView {
  id: string; title: string; image?: string; price?: number; currency?: string;
  url?: string; category?: string; inStock?: boolean;
}

/** One result: the item id, its score, why, and the item's display fields. */
export interface Recommendation { id: string; score: number; reasons: Reason[]; item: ItemView }

/** Something the shopper did. Weight defaults to 1; timestamp is seconds since 1970. */
export interface HistoryEvent { item: string; weight?: number; timestamp?: number; event?: string }

/** Which items may be returned. */
export interface Filter {
  exclude?: string[]; inStockOnly?: boolean; categories?: string[];
  excludeCategories?: string[]; minPrice?: number; maxPrice?: number;
}

/** Blend weights of the hybrid model (each ≥ 0). */
export interface BlendWeights { itemKnn?: number; content?: number; popular?: number; sequential?: number; userKnn?: number; ease?: number; als?: number }

/** Options of a query; every field is optional. Defaults: k 10, model "hybrid", diversity 0, explain true. */
export interface QueryOptions {
  k?: number;
  model?: "popular" | "content" | "itemKnn" | "item-knn" | "userKnn" | "user-knn" | "sequential" | "ease" | "als" | "hybrid";
  filter?: Filter; diversity?: number; halfLifeDays?: number; now?: number;
  weights?: BlendWeights; explain?: boolean;
}
"#;

/// A catalogue, its interactions and fitted models, kept in wasm memory;
/// or the models of a model index.
#[wasm_bindgen]
pub struct Engine {
    /// The one copy of the catalogue (the recommender shares it); `None`
    /// for an index engine, whose catalogue fills in as queries open items
    /// (see [`Engine::catalogue`]).
    catalogue: Option<Arc<Catalogue>>,
    // The config and the log serve fitting, which the query module leaves out.
    #[cfg_attr(not(feature = "wasm-recommend"), allow(dead_code))]
    config: CheckedConfig,
    #[cfg_attr(not(feature = "wasm-recommend"), allow(dead_code))]
    log: Option<Interactions>,
    /// Fitted on the current catalogue and log; `None` after new interactions
    /// arrive, and for an index engine.
    fitted: Option<Recommender>,
    /// The model index served (`None`: fitted here from a log).
    index: Option<OpenedIndex>,
}

#[wasm_bindgen]
impl Engine {
    /// Opens a model index (`pocketrec build`): `manifest` the bytes of
    /// `pocketrec-index.json`, `files` a `Map` from each shard's file name
    /// (as the manifest lists it) to its bytes. `models` (config names, or
    /// `hybrid` for all) are the models to open now that open whole,
    /// besides popularity, which every ranking query needs. Everything else
    /// opens when a query needs it (see `missingFiles` and `openFiles`),
    /// unless `files` holds it already: the ids, items and lists of the
    /// items queries start from and show. Default: every model the index
    /// holds. A model whose shards are missing or bad is left out (see
    /// `problems`), so the others still answer; a bad manifest or
    /// popularity shard is an error (`bad_index`).
    #[wasm_bindgen(js_name = fromIndex)]
    pub fn from_index(
        manifest: &[u8],
        #[wasm_bindgen(unchecked_param_type = "Map<string, Uint8Array>")] files: js_sys::Map,
        #[wasm_bindgen(unchecked_param_type = "string[] | undefined")] models: JsValue,
    ) -> Result<Engine, JsValue> {
        let models: Option<Vec<Model>> = if models.is_undefined() || models.is_null() {
            None
        } else {
            Some(from_js(models, "models")?)
        };
        // The hybrid blends them all.
        let models = match models {
            Some(m) if !m.contains(&Model::Hybrid) => m,
            _ => Model::SINGLE.to_vec(),
        };
        let mut opened = crate::index::open_partial(manifest, &mut read_from(&files), &models)
            .map_err(|e| js_error(&e))?;
        // What the page fetched with the manifest (small lists, say).
        let at_hand = |name: &str| files.has(&JsValue::from_str(name));
        opened
            .open_files(&at_hand, &mut read_from(&files))
            .map_err(|e| js_error(&e))?;
        let rec = &opened.recommender;
        Ok(Engine {
            catalogue: None,
            config: rec.config().clone(),
            log: None,
            fitted: None,
            index: Some(opened),
        })
    }

    /// The index files a request still needs (none once it can be
    /// answered, and none for an engine fitted from a log). `request` is
    /// `"similar"` (`arg` the item id), `"recommend"` (`arg` the history),
    /// `"popular"`, `"search"` (`arg` the text) or `"items"` (`arg` the
    /// ids). A request may need files in up to three rounds (the ids, then
    /// the models, then the items it shows): fetch them, pass them to
    /// `openFiles`, and ask again until none is missing.
    #[wasm_bindgen(js_name = missingFiles)]
    pub fn missing_files(
        &self,
        request: &str,
        #[wasm_bindgen(unchecked_param_type = "QueryOptions | undefined")] options: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | string[] | HistoryEvent[] | undefined")]
        arg: JsValue,
    ) -> Result<Vec<String>, JsValue> {
        let Some(index) = &self.index else {
            return Ok(Vec::new());
        };
        let query = self.query(options)?;
        let arg = RequestArg::from_js(request, arg)?;
        Ok(index.missing(&arg.request(request), &query))
    }

    /// Opens the index files in `files` (a `Map` of name → bytes, as
    /// `missingFiles` named them); `failed` names those that could not be
    /// fetched. A model whose files are bad or failed is left out. Returns
    /// the problems this added, as in `problems`; a bad or failed ids or
    /// items shard is an error (`bad_index`).
    #[wasm_bindgen(js_name = openFiles, unchecked_return_type = "{ code: string; message: string }[]")]
    pub fn open_files(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Map<string, Uint8Array>")] files: js_sys::Map,
        failed: Option<Vec<String>>,
    ) -> Result<JsValue, JsValue> {
        let Some(index) = self.index.as_mut() else {
            return problem_list(std::iter::empty());
        };
        let failed = failed.unwrap_or_default();
        let at_hand =
            |name: &str| files.has(&JsValue::from_str(name)) || failed.iter().any(|f| f == name);
        let added = index
            .open_files(&at_hand, &mut read_from(&files))
            .map_err(|e| js_error(&e))?;
        problem_list(
            index.problems[index.problems.len() - added..]
                .iter()
                .map(|(_, e)| e),
        )
    }

    /// The index's models that were left out, as `{code, message}` errors
    /// naming the bad file (empty when every shard was good, and for an
    /// engine fitted from a log).
    #[wasm_bindgen(unchecked_return_type = "{ code: string; message: string }[]")]
    pub fn problems(&self) -> Result<JsValue, JsValue> {
        problem_list(
            self.index
                .iter()
                .flat_map(|i| i.problems.iter().map(|(_, e)| e)),
        )
    }

    /// The models this engine answers with, in blend order (config names:
    /// `itemKnn`, `userKnn`, `sequential`, `content`, `popular`): for an
    /// index, the models it holds (never `userKnn`), open or not, less any
    /// left out for bad shards.
    pub fn models(&self) -> Vec<String> {
        let held = self.index.as_ref().map(OpenedIndex::held);
        Model::SINGLE
            .iter()
            .filter(|m| held.as_ref().is_none_or(|h| h.contains(m)))
            .map(|m| m.config_name().to_string())
            .collect()
    }

    /// Number of catalogue items.
    #[wasm_bindgen(js_name = itemCount)]
    pub fn item_count(&self) -> u32 {
        self.catalogue().len() as u32
    }

    /// Item ids in catalogue order (an item's position is its index). On
    /// a model index, only the items opened so far have their ids here
    /// (the others are empty strings).
    #[wasm_bindgen(js_name = itemIds)]
    pub fn item_ids(&self) -> Vec<String> {
        self.catalogue().ids().to_vec()
    }

    /// The index of an item id, or `undefined` (on a model index, also for
    /// an id whose bucket of the id directory is not open yet).
    #[wasm_bindgen(js_name = itemIndex)]
    pub fn item_index(&self, id: &str) -> Option<u32> {
        self.catalogue().index_of(id)
    }

    /// Display fields of the given ids, in order (unknown ids are skipped;
    /// on a model index, open them first: `missingFiles("items", …, ids)`).
    #[wasm_bindgen(unchecked_return_type = "ItemView[]")]
    pub fn items(&self, ids: Vec<String>) -> Result<JsValue, JsValue> {
        let catalogue = self.catalogue();
        if let Some(index) = &self.index {
            let query = Query::default().check().map_err(|e| js_error(&e))?;
            if let Some(file) = index.missing(&Request::Items(&ids), &query).first() {
                return Err(not_open(file));
            }
        }
        let views: Vec<ItemView> = ids
            .iter()
            .filter_map(|id| catalogue.index_of(id))
            .map(|i| catalogue.display(i))
            .collect();
        to_js(&views)
    }

    /// Notes about fields that were inferred or ignored.
    pub fn notes(&self) -> Vec<String> {
        self.catalogue().notes().to_vec()
    }

    /// Items similar to `id`.
    #[wasm_bindgen(js_name = similarItems, unchecked_return_type = "Recommendation[]")]
    pub fn similar_items(
        &mut self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "QueryOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let query = self.query(options)?;
        self.serve(&Request::Similar(id), &query, |rec| {
            rec.similar_items(id, &query)
        })
    }

    /// Recommendations for a shopper's history (an empty array for a new shopper).
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn recommend(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HistoryEvent[]")] history: JsValue,
        #[wasm_bindgen(unchecked_param_type = "QueryOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let events: Vec<Event> = from_js(history, "history")?;
        let query = self.query(options)?;
        self.serve(&Request::Recommend(&events), &query, |rec| {
            rec.recommend(&events, &query)
        })
    }

    /// The most popular (trending, with a popularity half-life) items.
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn popular(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "QueryOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let query = self.query(options)?.with_model(Model::Popular);
        self.serve(&Request::Popular, &query, |rec| rec.popular(&query))
    }

    /// Items matching free text.
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn search(
        &mut self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "QueryOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let query = query_from_js(options)?;
        self.serve(&Request::Search(text), &query, |rec| {
            rec.search(text, &query)
        })
    }
}

/// The raw-log path: a catalogue and its interaction log, fitted here (the
/// full module only; the query module serves model indexes alone).
#[cfg(feature = "wasm-recommend")]
#[wasm_bindgen]
impl Engine {
    /// Reads and checks a catalogue (JSON text or object) with an optional
    /// config object. Models are fitted on the first query (or `fit`).
    #[wasm_bindgen(constructor)]
    pub fn new(catalogue: JsValue, config: JsValue) -> Result<Engine, JsValue> {
        let config: Config = options_from_js(config, "config")?;
        let config = config.check().map_err(|e| js_error(&e))?;
        let catalogue = catalogue_from_js(catalogue, &config)?;
        Ok(Engine {
            catalogue: Some(Arc::new(catalogue)),
            config,
            log: None,
            fitted: None,
            index: None,
        })
    }

    /// Loads interactions from CSV text (header `user,item[,weight][,timestamp][,event]`).
    /// Returns the warnings (rows skipped and why).
    #[wasm_bindgen(js_name = loadInteractionsCsv)]
    pub fn load_interactions_csv(&mut self, text: &str) -> Result<Vec<String>, JsValue> {
        self.refuse_log_on_index()?;
        let log = Interactions::from_csv(text, self.catalogue(), &self.config.interactions)
            .map_err(|e| js_error(&e))?;
        Ok(self.set_log(log))
    }

    /// Loads interactions from JSON text or an array of
    /// `{user, item, weight?, timestamp?, event?}` objects. Returns the warnings.
    #[wasm_bindgen(js_name = loadInteractionsJson)]
    pub fn load_interactions_json(&mut self, value: JsValue) -> Result<Vec<String>, JsValue> {
        self.refuse_log_on_index()?;
        let text = match value.as_string() {
            Some(text) => text,
            None => js_sys::JSON::stringify(&value)
                .map_err(|_| {
                    js_error(&Error::InvalidValue {
                        path: "interactions".into(),
                        message: "expected JSON text or an array of interaction objects".into(),
                    })
                })?
                .into(),
        };
        let log = Interactions::from_json(text, self.catalogue(), &self.config.interactions)
            .map_err(|e| js_error(&e))?;
        Ok(self.set_log(log))
    }

    /// Loads interactions as columns (one memcpy each): user numbers (any
    /// numbering the caller chooses), item indices (see `itemIndex`),
    /// optional weights and optional timestamps in seconds. Returns the warnings.
    #[wasm_bindgen(js_name = loadInteractionsColumns)]
    pub fn load_interactions_columns(
        &mut self,
        users: &[u32],
        items: &[u32],
        weights: Option<Vec<f32>>,
        timestamps: Option<Vec<f64>>,
    ) -> Result<Vec<String>, JsValue> {
        let n = users.len();
        self.refuse_log_on_index()?;
        let bad = |what: &str, message: String| {
            js_error(&Error::InvalidValue {
                path: what.into(),
                message,
            })
        };
        if items.len() != n {
            return Err(bad(
                "items",
                format!(
                    "has {} entries but users has {n}; the columns must have equal lengths",
                    items.len()
                ),
            ));
        }
        for (name, len) in [
            ("weights", weights.as_ref().map(Vec::len)),
            ("timestamps", timestamps.as_ref().map(Vec::len)),
        ] {
            if let Some(len) = len.filter(|&len| len != n) {
                return Err(bad(
                    name,
                    format!(
                        "has {len} entries but users has {n}; the columns must have equal lengths"
                    ),
                ));
            }
        }
        let mut log = Interactions::new(self.catalogue().len());
        for r in 0..n {
            let weight = weights.as_ref().map_or(1.0, |w| w[r]);
            let timestamp = match timestamps.as_ref().map(|t| t[r]) {
                Some(t) if !t.is_finite() => {
                    return Err(bad(
                        &format!("timestamps[{r}]"),
                        format!("expected seconds since 1970, got {t}"),
                    ))
                }
                t => t.map(|t| t as i64),
            };
            log.push(&users[r].to_string(), items[r], weight, timestamp)
                .map_err(|e| match e {
                    Error::InvalidValue { path, message } => bad(&format!("{path}s[{r}]"), message),
                    other => js_error(&other),
                })?;
        }
        Ok(self.set_log(log))
    }

    /// Fits the models the config's hybrid blends (and content, for
    /// search) on the catalogue and the interactions loaded so far. Queries
    /// fit on demand, so calling this is optional; it lets a caller choose
    /// when the work happens. A query for another model (say `ease`) fits
    /// that one when it first comes.
    pub fn fit(&mut self) -> Result<(), JsValue> {
        let query = Query::default().check().map_err(|e| js_error(&e))?;
        self.recommender(&query).map(|_| ())
    }
}

impl Engine {
    /// Query options from JS, checked once; on an index engine, the model
    /// asked for must be one the index holds.
    fn query(&self, options: JsValue) -> Result<CheckedQuery, JsValue> {
        let query = query_from_js(options)?;
        if let Some(index) = &self.index {
            // A model lost to a bad shard: that error (`bad_index`, naming
            // the file), so the shell can fall back to trending.
            if let Some((_, e)) = index.problems.iter().find(|(m, _)| *m == query.model) {
                return Err(js_error(e));
            }
            crate::index::check_held(&index.held(), query.model).map_err(|e| js_error(&e))?;
        }
        Ok(query)
    }

    /// An index engine takes no log: its models were built from one.
    #[cfg(feature = "wasm-recommend")]
    fn refuse_log_on_index(&self) -> Result<(), JsValue> {
        if self.index.is_some() {
            return Err(js_error(&Error::InvalidValue {
                path: "interactions".into(),
                message: "this engine serves a model index, which holds the models already; it takes no interaction log".into(),
            }));
        }
        Ok(())
    }

    #[cfg(feature = "wasm-recommend")]
    fn set_log(&mut self, log: Interactions) -> Vec<String> {
        let warnings = log.warnings();
        self.log = Some(log);
        self.fitted = None;
        warnings
    }

    /// The catalogue: the engine's, or the index's as opened so far.
    fn catalogue(&self) -> &Catalogue {
        match (&self.catalogue, &self.index) {
            (Some(c), _) => c,
            (None, Some(index)) => index.recommender.catalogue(),
            (None, None) => unreachable!("an engine has a catalogue or an index"),
        }
    }

    /// Answers a request with `run`: on an index, once what it needs is
    /// open (else an error: the shell fetches `missingFiles` and calls
    /// `openFiles` first), and only if the items it shows are open too.
    fn serve(
        &mut self,
        request: &Request,
        query: &CheckedQuery,
        run: impl FnOnce(&Recommender) -> crate::Result<Vec<Recommendation>>,
    ) -> Result<JsValue, JsValue> {
        let Some(index) = &self.index else {
            let recs = run(self.recommender(query)?).map_err(|e| js_error(&e))?;
            return results(self.catalogue(), &recs);
        };
        if let Some(file) = index.missing_to_run(request, query).first() {
            return Err(not_open(file));
        }
        let recs = run(&index.recommender).map_err(|e| js_error(&e))?;
        if let Some(file) = index.missing_to_show(request, query, &recs).first() {
            return Err(not_open(file));
        }
        results(index.recommender.catalogue(), &recs)
    }

    /// The fitted recommender, with every model `query` uses: those fitted
    /// before are kept, the missing ones fitted now. Only what queries use
    /// is fitted: EASE's inverse, say, costs seconds in a tab and is not
    /// paid by a page that never asks for it.
    fn recommender(&mut self, query: &CheckedQuery) -> Result<&Recommender, JsValue> {
        #[cfg(feature = "wasm-recommend")]
        {
            let mut wanted = FitPlan::for_query(query, &self.config.hybrid.weights)
                .models()
                .to_vec();
            // Search ranks by the content vectors.
            wanted.push(Model::Content);
            let have: Vec<Model> = self
                .fitted
                .iter()
                .flat_map(|r| r.models().iter().map(|m| m.kind()))
                .collect();
            if self.fitted.is_none() || wanted.iter().any(|m| !have.contains(m)) {
                let catalogue = Arc::clone(
                    self.catalogue
                        .as_ref()
                        .expect("a fitted engine has a catalogue"),
                );
                wanted.extend(&have);
                let kept = self.fitted.iter().flat_map(|r| r.models().iter().cloned());
                let plan = FitPlan::of(&wanted).reusing(kept.collect::<Vec<_>>());
                let fitted = fit(catalogue, self.log.as_ref(), &self.config, &plan, &no_clock)
                    .map_err(|e| js_error(&e))?;
                self.fitted = Some(fitted.recommender);
            }
        }
        #[cfg(not(feature = "wasm-recommend"))]
        let _ = query;
        self.fitted.as_ref().ok_or_else(|| {
            js_error(&Error::value(
                "model",
                "this engine has no fitted models (the query module serves model indexes only)",
            ))
        })
    }
}

/// Reads index files from a `Map` of name → bytes; a name not in it was not
/// fetched ([`Error::BadIndex`] naming it).
fn read_from(files: &js_sys::Map) -> impl FnMut(&str) -> crate::Result<Vec<u8>> + '_ {
    |name: &str| {
        let value = files.get(&JsValue::from_str(name));
        if value.is_undefined() || value.is_null() {
            return Err(Error::BadIndex {
                file: name.to_string(),
                message: "was not fetched".into(),
            });
        }
        Ok(js_sys::Uint8Array::new(&value).to_vec())
    }
}

/// The error of a query whose files are not open.
fn not_open(file: &str) -> JsValue {
    js_error(&Error::value(
        "model",
        format!(
            "the index file {file} this query needs is not open yet: fetch the files missingFiles names and pass them to openFiles first"
        ),
    ))
}

/// What a request starts from, as `missingFiles` gets it.
enum RequestArg {
    None,
    Text(String),
    History(Vec<Event>),
    Ids(Vec<String>),
}

impl RequestArg {
    fn from_js(request: &str, arg: JsValue) -> Result<RequestArg, JsValue> {
        let text = |arg: JsValue| {
            arg.as_string()
                .ok_or_else(|| js_error(&Error::value(request, "expected a string".to_string())))
        };
        Ok(match request {
            "similar" | "search" => RequestArg::Text(text(arg)?),
            "recommend" => RequestArg::History(from_js(arg, "history")?),
            "items" => RequestArg::Ids(from_js(arg, "ids")?),
            "popular" => RequestArg::None,
            other => {
                return Err(js_error(&Error::value(
                    "request",
                    format!("expected similar, recommend, popular, search or items, got {other:?}"),
                )))
            }
        })
    }

    fn request<'a>(&'a self, kind: &str) -> Request<'a> {
        match self {
            RequestArg::Text(t) if kind == "search" => Request::Search(t),
            RequestArg::Text(id) => Request::Similar(id),
            RequestArg::History(events) => Request::Recommend(events),
            RequestArg::Ids(ids) => Request::Items(ids),
            RequestArg::None => Request::Popular,
        }
    }
}

/// An error as the shell gets it (a struct, not a `serde_json::Value`: the
/// query module then carries no code for JSON values).
#[derive(serde::Serialize)]
struct Problem {
    code: &'static str,
    message: String,
}

/// Errors as `{code, message}` objects.
fn problem_list<'a>(errors: impl Iterator<Item = &'a Error>) -> Result<JsValue, JsValue> {
    let list: Vec<Problem> = errors
        .map(|e| Problem {
            code: e.code(),
            message: e.to_string(),
        })
        .collect();
    to_js(&list)
}

#[cfg(feature = "wasm-recommend")]
/// Reads a catalogue given as JSON text or as an already parsed object.
fn catalogue_from_js(value: JsValue, config: &Config) -> Result<Catalogue, JsValue> {
    let result = match value.as_string() {
        Some(text) => Catalogue::from_json(text, &config.catalogue),
        None => Catalogue::from_value(value_from_js(value, "catalogue")?, &config.catalogue),
    };
    result.map_err(|e| js_error(&e))
}

/// Query options from JS, checked once.
fn query_from_js(options: JsValue) -> Result<CheckedQuery, JsValue> {
    let query: Query = options_from_js(options, "options")?;
    query.check().map_err(|e| js_error(&e))
}

/// A result as the shell gets it: the recommendation and its item's
/// display fields, so no second lookup (or second catalogue) is needed.
#[derive(serde::Serialize)]
struct Shown<'a> {
    id: &'a str,
    score: f32,
    reasons: &'a [crate::models::Reason],
    item: ItemView,
}

fn results(catalogue: &Catalogue, recs: &[Recommendation]) -> Result<JsValue, JsValue> {
    let shown: Vec<Shown> = recs
        .iter()
        .map(|r| Shown {
            id: &r.id,
            score: r.score,
            reasons: &r.reasons,
            item: catalogue.display(r.index),
        })
        .collect();
    to_js(&shown)
}
