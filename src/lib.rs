pub mod catalogue;
pub mod config;
pub mod content;
pub mod diversity;
pub mod error;
pub mod eval;
pub mod filter;
pub mod history;
pub mod hybrid;
pub mod interactions;
pub mod item_cf;
pub mod limits;
pub mod movielens;
pub mod popularity;
pub mod sparse;
pub mod text;
pub mod topk;

pub use error::{Error, Result};
