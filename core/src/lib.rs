//! # netpol-core
//!
//! Decides, exactly as a conforming Kubernetes cluster would, whether a
//! connection between two endpoints is allowed by `networking.k8s.io/v1`
//! NetworkPolicies, and explains why, rule by rule, with source locations.
//!
//! It is the single source of truth for semantics: the web playground and the
//! `netpol` CLI render what this crate decides and never re-implement a rule.
//!
//! ## Pieces
//! - [`model`]: the typed cluster model ([`Scenario`]); selectors in [`labels`].
//! - [`parse`] (feature `yaml`, on by default): YAML/JSON documents, with
//!   positions, into a [`Scenario`] plus [`parse::Diagnostic`]s. One bad
//!   document never hides the good ones.
//! - [`evaluate`]: the straightforward per-flow evaluator, returning a
//!   structured [`explain::Explanation`].
//! - [`matrix`]: the fast whole-cluster evaluator (bitsets), proven equal to
//!   [`evaluate`] by property tests.
//! - [`lint`]: warnings for the classic pitfalls, each with an id and a fix.
//! - [`presets`]: the teaching scenarios the page and the CLI offer.
//!
//! ## Features
//! - `yaml` (default): the parser. Without it the crate builds for
//!   `wasm32v1-none` with no `std`.
//! - `share`: [`share`], the versioned, compressed share-link format that the
//!   page and `netpol share` both use.
//!
//! ## When not to use it
//! It models the API semantics, not a particular CNI's data path: it does not
//! know about node-local traffic quirks, L7 policies or service meshes.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

pub mod diff;
pub mod eval;
pub mod explain;
pub mod labels;
#[cfg(feature = "yaml")]
pub mod lessons;
pub mod lint;
pub mod matrix;
pub mod model;
#[cfg(feature = "yaml")]
pub mod parse;
pub mod presets;
pub mod report;
#[cfg(feature = "share")]
pub mod share;
pub mod sort;
pub mod span;

pub use eval::{evaluate, is_allowed};
pub use explain::{Explanation, Flow, FlowEnd};
pub use matrix::{matrix, Matrix};
pub use model::{Direction, Probe, Protocol, Scenario};
pub use span::{Loc, Span};
