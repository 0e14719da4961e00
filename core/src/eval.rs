//! The straightforward per-flow evaluator: [`evaluate`] walks every policy and
//! records every check, producing an [`crate::explain::Explanation`].
