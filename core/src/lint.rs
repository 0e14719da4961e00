//! Warnings for the classic NetworkPolicy pitfalls, each with a stable id, the place it is about and a fix.
