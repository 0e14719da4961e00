//! Kubernetes YAML/JSON documents into a [`crate::Scenario`], with positions.
