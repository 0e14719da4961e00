//! The Learn panel's course: lessons with a scenario, a prediction and a
//! task whose check is evaluated by the core. Filled in by issue 6.
