pub mod catalogue;
pub mod content;
pub mod error;
pub mod limits;
pub mod sparse;
pub mod topk;
pub mod text;
pub use error::{Error, Result};
