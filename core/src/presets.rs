//! Ready-made scenarios that teach one thing each.
