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
//! 6. [`forecast`]: the shop owner's side, sales forecasts and reorder points.
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
pub mod sparse;
pub mod topk;

pub use error::{Error, Result};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
