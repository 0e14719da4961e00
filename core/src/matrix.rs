//! The fast whole-cluster evaluator: endpoint × endpoint allow tables per
//! probe, computed from precomputed selector bitsets.
