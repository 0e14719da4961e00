//! Why a fragment could not be opened, in words a user can act on.

use core::fmt;

/// A fragment that [`super::decode`] could not open.
///
/// Opaque so that new reasons can be added; match on [`ShareError::kind`].
/// Its `Display` is a complete sentence meant for the page and the CLI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError {
    kind: ShareErrorKind,
}

/// The reason behind a [`ShareError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareErrorKind {
    /// Nothing after the `#`.
    Empty,
    /// No `v<N>.` version tag: not a share link at all.
    MissingVersion,
    /// A version tag no release ever wrote (`v0`).
    UnknownVersion {
        /// The number in the tag.
        found: u32,
    },
    /// A link from a newer release than this one.
    FutureVersion {
        /// The number in the tag.
        found: u32,
    },
    /// The body is not canonical unpadded base64url.
    BadBase64,
    /// The content would inflate beyond the limit (a decompression bomb, or
    /// a scenario too large to share as a link).
    TooLarge {
        /// The limit in bytes ([`super::MAX_DECODED_BYTES`]).
        limit: usize,
    },
    /// The compressed data ends early: the link was cut off.
    Truncated,
    /// The compressed data is not a valid zlib stream, or something follows it.
    BadCompression,
    /// The checksum does not match the content: the link was altered.
    ChecksumMismatch,
    /// The payload ends in the middle of a record.
    PayloadTruncated,
    /// A required field is absent.
    MissingField {
        /// The field, in words (`scenario`, `flow probe`, …).
        field: &'static str,
    },
    /// A field appears twice.
    DuplicateField {
        /// The field, in words.
        field: &'static str,
    },
    /// A text field is not valid UTF-8.
    NotUtf8 {
        /// The field, in words.
        field: &'static str,
    },
    /// The view field is not a single number.
    BadView,
}

impl ShareError {
    /// An error of this kind: for a front end that inflates links itself
    /// ([`super::zlib_of_fragment`]) and has to say why one failed.
    pub fn new(kind: ShareErrorKind) -> Self {
        ShareError { kind }
    }

    /// Why the fragment was refused.
    pub fn kind(&self) -> &ShareErrorKind {
        &self.kind
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAMAGED: &str = "This link is damaged";
        match &self.kind {
            ShareErrorKind::Empty => f.write_str("This link carries no shared scenario: nothing follows the '#'."),
            ShareErrorKind::MissingVersion => f.write_str(
                "This is not a playground share link: the part after '#' should start with a version tag such as \"v1.\".",
            ),
            ShareErrorKind::UnknownVersion { found } => write!(
                f,
                "This link has version tag v{found}, which no release of the playground ever made; this page understands v{}.",
                super::VERSION
            ),
            ShareErrorKind::FutureVersion { found } => write!(
                f,
                "This link was made by a newer version of the playground (v{found}); this page understands v{}. Open it with a newer release.",
                super::VERSION
            ),
            ShareErrorKind::BadBase64 => write!(
                f,
                "{DAMAGED}: it contains characters a share link cannot have; it may have been changed or cut while being copied."
            ),
            ShareErrorKind::TooLarge { limit } => write!(
                f,
                "This link's content is larger than {} MiB ({limit} bytes) and was refused. Share such a scenario as a file.",
                limit / (1024 * 1024)
            ),
            ShareErrorKind::Truncated => {
                f.write_str("This link is incomplete: it was probably cut off while being copied.")
            }
            ShareErrorKind::BadCompression => write!(f, "{DAMAGED}: its compressed content is invalid."),
            ShareErrorKind::ChecksumMismatch => {
                write!(f, "{DAMAGED}: its checksum does not match its content, so it was altered after it was made.")
            }
            ShareErrorKind::PayloadTruncated => write!(f, "{DAMAGED}: its content ends in the middle of a field."),
            ShareErrorKind::MissingField { field } => write!(f, "{DAMAGED}: it has no {field}."),
            ShareErrorKind::DuplicateField { field } => write!(f, "{DAMAGED}: it has the {field} twice."),
            ShareErrorKind::NotUtf8 { field } => write!(f, "{DAMAGED}: its {field} is not valid UTF-8 text."),
            ShareErrorKind::BadView => write!(f, "{DAMAGED}: its view is not a number."),
        }
    }
}

impl core::error::Error for ShareError {}
