//! The allow graph: namespaces as boxes, endpoints as nodes inside them,
//! external addresses outside, and an arrow for every allowed
//! source → destination pair.
//!
//! - [`model`] (pure): groups and counts the core's verdicts into nodes and
//!   edges, aggregated at namespace level for big clusters.
//! - [`layout`] (pure, deterministic): positions and curves.
//! - [`camera`] and [`focus`] (pure): zoom/pan arithmetic and which edges
//!   are drawn or lit.
//! - [`AllowGraph`]: the Leptos component drawing it all as SVG.
//!
//! Invariant: nothing here decides whether a flow is allowed; verdicts come
//! from `netpol_core::matrix` and `netpol_core::eval::is_allowed`.

pub mod camera;
pub mod compare;
mod component;
mod external;
pub mod focus;
pub mod layout;
pub mod model;
pub mod num;
mod tally;
#[cfg(test)]
mod testdata;
pub mod tiers;

pub use component::AllowGraph;
pub use model::{build, GraphEndpoint, GraphModel, Level, ViewState};
pub use tiers::TierFilter;
