//! Text exports of a matrix (CSV, JSON in the CLI's documented shape) and a
//! Markdown report, shared by `netpol matrix` and the page's export menu.
//! Filled in by the export work of issue 4.
