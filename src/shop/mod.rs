//! The shop owner's desk: what the order log says about products and
//! customers.
//!
//! 1. [`orders`] reads an order log (invoice lines, or the interactions
//!    format with quantities) into dense products, customers and lines,
//!    with returns and cancellations kept as negative quantities;
//! 2. `stock` turns it into a reorder plan for every product (ABC/XYZ
//!    classes, a lead-time forecast, safety stock, reorder point, order
//!    quantity), sorted by urgency;
//! 3. [`segment`] groups customers by recency, frequency and monetary
//!    value ([`rfm`], then [`kmeans`] with the number of groups chosen by
//!    [`silhouette`] or given), and names each group.
//!
//! Like the rest of the core, it does no I/O: the command line
//! (`pocketrec stock`, `pocketrec segment`) and the owner's page in the
//! browser hand it the file's text.

pub mod kmeans;
pub mod orders;
pub mod rfm;
pub mod segment;
pub mod silhouette;
