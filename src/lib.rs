//! pocketrec: a recommendation engine small enough to run in the shopper's
//! browser.
//!
//! A shop's catalogue (JSON) and, optionally, its interaction log become
//! three models behind one query API:
//!
//! * **content** ([`content`]): items as sparse BM25 / IDF feature vectors,
//!   similarity by cosine; works with no interactions at all;
//! * **item-kNN** ([`item_cf`]): "customers also bought", with the cosine,
//!   TF-IDF and BM25 item-item similarities of the `implicit` library;
//! * **popularity** ([`popularity`]): the cold-start answer and "trending";
//!
//! blended by [`hybrid::Recommender`], with filters, diversity re-ranking and
//! an explanation for every result. [`tune`] picks options from the data,
//! [`eval`] measures them. The core does no I/O and has no JS types.
//!
//! ```
//! use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
//! use pocketrec::config::Config;
//! use pocketrec::data::history::Event;
//! use pocketrec::recommend::{Model, Query, Recommender};
//! use pocketrec::data::interactions::Interactions;
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
//! let rec = Recommender::fit(catalogue, Some(&log), &Config::default())?;
//!
//! // "Similar products", by content.
//! let similar = rec.similar_items("mug", &Query::new(2, Model::Content))?;
//! assert_eq!(similar[0].id, "cups"); // shares "blue ceramic" and the category
//!
//! // "Recommended for you": the shopper viewed the mug.
//! let recs = rec.recommend(&[Event::item("mug")], &Query::new(2, Model::Hybrid))?;
//! assert_eq!(recs[0].id, "teapot"); // bought with the mug, and ceramic
//! assert!(recs.iter().all(|r| r.id != "mug"));
//! # Ok::<(), pocketrec::Error>(())
//! ```
#![warn(missing_docs)]

pub mod config;
pub mod data;
pub mod error;
pub mod evaluate;
pub mod forecast;
pub mod limits;
pub mod models;
pub mod recommend;
pub mod sparse;
pub mod topk;

pub use error::{Error, Result};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
