//! The zlib layer (RFC 1950): deflate plus an Adler-32 checksum, inflated
//! under a size limit and with nothing allowed after the stream.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use miniz_oxide::inflate::core::inflate_flags::{
    TINFL_FLAG_PARSE_ZLIB_HEADER, TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
};
use miniz_oxide::inflate::core::{decompress, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

use super::ShareErrorKind;

/// miniz's best level (its "uber" setting, 10): links are made once and
/// short links matter more than microseconds.
const LEVEL: u8 = 10;

/// Compresses `data` as a zlib stream at the best level.
pub(super) fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, LEVEL)
}

/// Inflates a whole zlib stream, refusing output beyond `limit` bytes and
/// any byte after the checksum.
///
/// Written as a loop over miniz's core decompressor rather than
/// `decompress_to_vec_zlib_with_limit` because only the loop tells how much
/// input the stream used, which is what catches trailing data.
pub(super) fn inflate(input: &[u8], limit: usize) -> Result<Vec<u8>, ShareErrorKind> {
    let flags = TINFL_FLAG_PARSE_ZLIB_HEADER | TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut decompressor = Box::<DecompressorOxide>::default();
    // Text usually inflates to a few times its compressed size; start there
    // and double, so a bomb costs at most `limit` bytes before it is refused.
    let mut out = vec![0u8; input.len().saturating_mul(4).clamp(64, limit.max(64))];
    let mut in_pos = 0usize;
    let mut out_pos = 0usize;
    loop {
        let rest = input.get(in_pos..).unwrap_or_default();
        let (status, consumed, produced) = decompress(&mut decompressor, rest, &mut out, out_pos, flags);
        in_pos = in_pos.saturating_add(consumed);
        out_pos = out_pos.saturating_add(produced);
        match status {
            TINFLStatus::Done if out_pos > limit => return Err(ShareErrorKind::TooLarge { limit }),
            TINFLStatus::Done if in_pos < input.len() => return Err(ShareErrorKind::BadCompression),
            TINFLStatus::Done => {
                out.truncate(out_pos);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= limit {
                    return Err(ShareErrorKind::TooLarge { limit });
                }
                let grown = out.len().saturating_mul(2).min(limit);
                out.resize(grown, 0);
            }
            TINFLStatus::Adler32Mismatch => return Err(ShareErrorKind::ChecksumMismatch),
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(ShareErrorKind::Truncated)
            }
            _ => return Err(ShareErrorKind::BadCompression),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

    #[test]
    fn round_trip_uses_the_whole_stream() {
        for data in [&b""[..], b"a", b"kind: NetworkPolicy\n".repeat(50).as_slice()] {
            let z = compress(data);
            assert_eq!(inflate(&z, LIMIT).as_deref(), Ok(data));
        }
    }

    #[test]
    fn output_exactly_at_the_limit_is_accepted_and_one_more_byte_refused() {
        let data = vec![b'x'; 1000];
        let z = compress(&data);
        assert_eq!(inflate(&z, 1000).map(|v| v.len()), Ok(1000));
        assert_eq!(inflate(&z, 999), Err(ShareErrorKind::TooLarge { limit: 999 }));
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut z = compress(b"hello");
        z.push(0);
        assert_eq!(inflate(&z, LIMIT), Err(ShareErrorKind::BadCompression));
    }

    #[test]
    fn a_cut_stream_is_truncated() {
        let z = compress(&b"kind: Pod\n".repeat(30));
        for cut in 1..z.len() {
            let got = inflate(z.get(..cut).unwrap_or_default(), LIMIT);
            assert!(
                matches!(
                    got,
                    Err(ShareErrorKind::Truncated | ShareErrorKind::BadCompression | ShareErrorKind::ChecksumMismatch)
                ),
                "cut at {cut}: {got:?}"
            );
        }
        assert_eq!(inflate(z.get(..z.len() - 1).unwrap_or_default(), LIMIT), Err(ShareErrorKind::Truncated));
    }

    #[test]
    fn a_changed_checksum_is_a_mismatch() {
        let mut z = compress(b"hello");
        if let Some(last) = z.last_mut() {
            *last ^= 1;
        }
        assert_eq!(inflate(&z, LIMIT), Err(ShareErrorKind::ChecksumMismatch));
    }

    #[test]
    fn raw_deflate_without_the_zlib_header_is_refused() {
        let raw = miniz_oxide::deflate::compress_to_vec(b"hello", LEVEL);
        assert_eq!(inflate(&raw, LIMIT), Err(ShareErrorKind::BadCompression));
    }
}
