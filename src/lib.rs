//! pocketrec: a recommendation engine small enough to run in the shopper's
//! browser.
//!
//! The code follows the data:
//!
//! 1. [`data`]: a shop's catalogue (JSON) and, optionally, its interaction
//!    log (CSV or JSON) and a shopper's history are read, checked and mapped
//!    to dense item indices;
//! 2. [`config`]: the options, checked once into a [`config::CheckedConfig`];
//! 3. [`models`]: five models, each behind one interface
//!    ([`models::Scorer`]): **content** (BM25 / IDF feature vectors,
//!    cosine), **item-kNN** ("customers also bought"), **user-kNN**
//!    ("shoppers like you"), **sequential** ("customers then chose") and
//!    **popularity** (the cold-start answer and "trending");
//! 4. [`recommend`]: one fit pipeline ([`recommend::fit`]) and the
//!    [`recommend::Recommender`], which blends the models, filters, ranks,
//!    diversifies and explains every result;
//! 5. [`evaluate`]: offline splits and metrics, and tuning of the options
//!    on the shop's own data;
//! 6. [`forecast`]: the shop owner's side, sales forecasts and reorder points;
//! 7. [`shop`]: the owner's desk: order logs, a reorder plan for every
//!    product, customer segments.
//!
//! The core does no I/O and has no JS types; `src/wasm/` binds it for the
//! browser and `src/bin/pocketrec/` for the command line.
//!
//! ```
//! use pocketrec::config::Config;
//! use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
//! use pocketrec::data::history::Event;
//! use pocketrec::data::interactions::Interactions;
//! use pocketrec::recommend::{Model, Query, Recommender};
//!
//! let catalogue = Catalogue::from_json(r#"{"items": [
//!     {"id": "mug",    "title": "Blue ceramic mug",   "category": "kitchen", "price": 9},
//!     {"id": "teapot", "title": "Ceramic teapot",     "category": "kitchen", "price": 25},
//!     {"id": "lamp",   "title": "Desk lamp",          "category": "office",  "price": 30},
//!     {"id": "cups",   "title": "Blue ceramic cups", "category": "kitchen", "price": 12}
//! ]}"#, &CatalogueConfig::default())?;
//! let log = Interactions::from_csv(
//!     "user,item,weight\nann,mug,1\nann,teapot,1\nbob,mug,1\nbob,teapot,2\nbob,lamp,1\n",
//!     &catalogue,
//!     &Default::default(),
//! )?;
//! let rec = Recommender::fit(catalogue, Some(&log), &Config::default().check()?)?;
//!
//! // "Similar products", by content.
//! let similar = rec.similar_items("mug", &Query::new(2, Model::Content).check()?)?;
//! assert_eq!(similar[0].id, "cups"); // shares "blue ceramic" and the category
//!
//! // "Recommended for you": the shopper viewed the mug.
//! let recs = rec.recommend(&[Event::item("mug")], &Query::new(2, Model::Hybrid).check()?)?;
//! assert_eq!(recs[0].id, "teapot"); // bought with the mug, and ceramic
//! assert!(recs.iter().all(|r| r.id != "mug"));
//! # Ok::<(), pocketrec::Error>(())
//! ```
//!
//! # Build, load and query a model index
//!
//! A static shop need not publish its interaction log: [`index::build()`]
//! fits the models a page serves under the privacy rules of [`privacy`]
//! and encodes them as a model index, a set of files (a JSON manifest and
//! binary shards); [`index::open`] decodes those files back into a
//! [`recommend::Recommender`] that answers the same queries. The core does
//! no I/O: the build hands back each file's name and bytes, and opening
//! asks a closure for the bytes of a file by name. The command line
//! (`pocketrec build --out <folder>`) writes them to a folder; the browser
//! fetches them; here they stay in a map.
//!
//! ```
//! use std::collections::HashMap;
//!
//! use pocketrec::config::Config;
//! use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
//! use pocketrec::data::history::Event;
//! use pocketrec::data::interactions::Interactions;
//! use pocketrec::index::{self, BuildOptions, MANIFEST};
//! use pocketrec::recommend::fit::no_clock;
//! use pocketrec::recommend::{Model, Query};
//!
//! let catalogue = Catalogue::from_json(r#"{"items": [
//!     {"id": "mug",    "title": "Blue ceramic mug",  "category": "kitchen", "price": 9},
//!     {"id": "teapot", "title": "Ceramic teapot",    "category": "kitchen", "price": 25},
//!     {"id": "lamp",   "title": "Desk lamp",         "category": "office",  "price": 30},
//!     {"id": "cups",   "title": "Blue ceramic cups", "category": "kitchen", "price": 12}
//! ]}"#, &CatalogueConfig::default())?;
//! // Six shoppers bought the mug with the teapot; one the lamp with the cups.
//! let mut csv = String::from("user,item\n");
//! for shopper in ["ann", "bob", "cat", "dan", "eve", "fay"] {
//!     csv += &format!("{shopper},mug\n{shopper},teapot\n");
//! }
//! csv += "gus,lamp\ngus,cups\n";
//! let log = Interactions::from_csv(&csv, &catalogue, &Default::default())?;
//!
//! // Build: fit under the default privacy rules (a link needs at least 5
//! // distinct shoppers) and encode. `no_clock` skips the timings.
//! let config = Config::default().check()?;
//! let built = index::build(catalogue, Some(&log), &config, &BuildOptions::default(), &no_clock)?;
//! assert_eq!(built.manifest.items, 4);
//! // The one shopper's lamp–cups pair is not published (both directions).
//! assert_eq!(built.manifest.suppressed.suppressed_item_links, 2);
//!
//! // Keep the files in memory: file name -> bytes (a folder, or fetches).
//! let files: HashMap<String, Vec<u8>> = built.files.into_iter().collect();
//!
//! // Load: the manifest first, then each shard it lists, through `read`.
//! let mut read = |name: &str| {
//!     files.get(name).cloned().ok_or_else(|| pocketrec::Error::BadIndex {
//!         file: name.to_string(),
//!         message: "missing".into(),
//!     })
//! };
//! let opened = index::open(&files[MANIFEST], &mut read)?;
//! let rec = &opened.recommender;
//!
//! // Query: "customers also bought", for a shopper who viewed the mug.
//! let recs = rec.recommend(&[Event::item("mug")], &Query::new(1, Model::ItemKnn).check()?)?;
//! assert_eq!(recs[0].id, "teapot");
//! assert!(recs[0].score > 0.0); // a published link, not the popularity fill
//!
//! // The lamp's one link was withheld: its list is only popularity's fill.
//! let lamp = rec.recommend(&[Event::item("lamp")], &Query::new(2, Model::ItemKnn).check()?)?;
//! assert!(lamp.iter().all(|r| r.id != "cups" && r.score == 0.0));
//!
//! // "Similar products", by content.
//! let similar = rec.similar_items("mug", &Query::new(1, Model::Content).check()?)?;
//! assert_eq!(similar[0].id, "cups");
//! # Ok::<(), pocketrec::Error>(())
//! ```
//!
//! [`index::open_partial`] opens an index a request at a time, reading
//! only the shards each query needs (what the browser's query module does).
//!
//! # Features
//!
//! | feature | default | what it turns on | targets |
//! |---|---|---|---|
//! | `cli` | yes | the `pocketrec` command-line tool (`src/bin/pocketrec/`: recommend, similar, search, eval, split, tune, build, forecast, forecast-eval, stock, segment) and its dependencies (clap, indicatif, anyhow, flate2, getrandom) | native, and wasm32-wasip1 (the npm package's `npx pocketrec`) |
//! | `wasm-recommend` | yes | the browser's recommendation module (`src/wasm/engine.rs`): fits a catalogue and its log in the page, or opens a model index | wasm32 only |
//! | `wasm-query` | no | the browser's query module: the same engine for a model index only, without the fitting code and the CSV and catalogue readers | wasm32 only |
//! | `wasm-forecast` | yes | the shop owner's module: forecasts (`src/wasm/forecast.rs`), the reorder plan of an order log (`src/wasm/shop.rs`) and customer segments (`src/wasm/segment.rs`) | wasm32 only |
//!
//! The library itself (every module above) needs no feature. The three
//! `wasm-*` features only select what `src/wasm/` compiles, and that
//! module exists only when building for `target_arch = "wasm32"`: on a
//! native target they change nothing but the dependency list
//! (`wasm-recommend` and `wasm-query` bring getrandom, with its `wasm_js`
//! backend, for the modules' `randomBytes`; nothing native calls it). A library user who does not want the
//! command-line tool's dependencies turns the defaults off:
//!
//! ```toml
//! [dependencies]
//! pocketrec = { version = "0.1", default-features = false }
//! ```
//!
//! The browser modules are built one at a time, with `default-features =
//! false` and the one `wasm-*` feature (the project's
//! `www/scripts/build-wasm.sh` does so), so a shop's pages never download
//! the forecaster.
#![warn(missing_docs)]

pub mod calendar;
pub mod config;
pub mod data;
pub mod error;
pub mod evaluate;
pub mod forecast;
pub mod index;
pub mod limits;
pub mod models;
pub mod parallel;
pub mod privacy;
pub mod recommend;
pub mod shop;
pub mod sparse;
pub mod topk;

pub use error::{Error, Result};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
