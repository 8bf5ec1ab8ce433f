//! The model index: what `pocketrec build` writes so a static shop can
//! serve recommendations without publishing its interaction log.
//!
//! An index is a folder of static files: a small JSON manifest
//! ([`manifest`]) and content-hashed binary shards ([`shards`], byte
//! layout in [`codec`]), each holding one kind of item-level aggregate
//! for a range of items (or features, or ranks): an id directory, display
//! and filter fields, content neighbour lists, content vectors, their
//! vocabulary and postings, item-kNN neighbour lists, sequential successor
//! lists, popularity by rank. Nothing in it names a shopper or a time: the models are
//! fitted under the privacy rules of [`crate::privacy`] before they are
//! written. The full format, for other producers, is in `format.md`
//! beside this file.
//!
//! [`build()`] fits and encodes (no I/O; the CLI writes the files);
//! [`open`] decodes the files back into the same models behind the same
//! [`crate::recommend::Recommender`], so an index answers the queries a
//! live fit answers, with the same explanations, except that content
//! ranks by each item's nearest neighbours ([`BuildOptions::content_links`];
//! 0 ships the exact vectors). [`open_partial`] opens one a request at a
//! time, reading only the shards each needs ([`OpenedIndex::missing`]).
#![doc = ""]
#![doc = include_str!("format.md")]

mod build;
pub mod codec;
pub mod factors;
mod load;
pub mod manifest;
mod opening;
mod partial;
pub mod shards;

pub use build::{build, BuildOptions, BuiltIndex, INDEX_MODELS, WHOLE_SHARD};
pub use load::{check_held, open, open_lenient, OpenedIndex, ReadFile};
pub use manifest::{Manifest, MANIFEST};
pub use partial::{open_partial, Needs, QueryKind, Request};
