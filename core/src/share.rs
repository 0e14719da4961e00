//! Share links: a scenario encoded as a versioned, compressed, base64url URL fragment.
