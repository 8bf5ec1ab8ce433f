//! The shop owner's desk: what the order log says about products and
//! customers.
//!
//! 1. [`orders`] reads an order log (invoice lines, or the interactions
//!    format with quantities) into dense products, customers and lines,
//!    with returns and cancellations kept as negative quantities;
//! 2. [`sales`] buckets the lines into per-product weekly or monthly
//!    series, [`classes`] ranks products (ABC by revenue, XYZ by
//!    variability), [`on_hand`] reads the stock file, and [`stock`] turns
//!    them into a reorder plan for every product (a lead-time forecast,
//!    safety stock, reorder point, stock-out risk, order quantity), sorted
//!    by urgency;
//! 3. [`segment`] groups customers by recency, frequency and monetary
//!    value ([`rfm`], then [`kmeans`] with the number of groups chosen by
//!    [`silhouette`] or given), and names each group.
//!
//! Like the rest of the core, it does no I/O: the command line
//! (`pocketrec stock`, `pocketrec segment`) and the owner's page in the
//! browser hand it the file's text.

pub mod classes;
mod columns;
pub mod kmeans;
pub mod on_hand;
pub mod orders;
pub mod rfm;
pub mod sales;
pub mod segment;
pub mod silhouette;
pub mod stock;
