//! Before/after comparison of two scenarios: which flows a policy change
//! newly allows or newly denies (shared by `netpol diff` and the page's
//! compare mode). Filled in by the compare work of issue 4.
