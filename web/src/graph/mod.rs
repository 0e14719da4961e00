//! The allow graph (SVG): owned by the graph teammate, who exposes
//! `graph::AllowGraph` and the pure `graph::model` / `graph::layout` modules.
