//! Placeholder module, filled in this session (see ARCHITECTURE.md).
