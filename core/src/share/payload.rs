//! The v1 payload: tagged, length-prefixed records (see the table in the
//! module docs of [`super`]). Unknown tags are skipped, so later releases
//! can add fields that older pages ignore.

use alloc::string::String;
use alloc::vec::Vec;

use super::{ShareErrorKind, SharedFlow, SharedState, View};

/// Top-level tags. Never renumber or reuse one.
mod tag {
    pub const SCENARIO: u64 = 1;
    pub const COMPARE: u64 = 2;
    pub const FLOW: u64 = 3;
    pub const VIEW: u64 = 4;
}

/// Tags inside the flow record. Never renumber or reuse one.
mod flow_tag {
    pub const FROM: u64 = 1;
    pub const TO: u64 = 2;
    pub const PROBE: u64 = 3;
}

/// Serializes `state` as v1 records, by ascending tag.
pub(super) fn write(state: &SharedState) -> Vec<u8> {
    let mut out = Vec::with_capacity(len(state));
    record(&mut out, tag::SCENARIO, state.scenario.as_bytes());
    if let Some(compare) = &state.compare {
        record(&mut out, tag::COMPARE, compare.as_bytes());
    }
    if let Some(flow) = &state.flow {
        record(&mut out, tag::FLOW, &flow_bytes(flow));
    }
    let mut view = Vec::with_capacity(1);
    varint(&mut view, state.view.code());
    record(&mut out, tag::VIEW, &view);
    out
}

/// The length of [`write`]'s output, without building it.
pub(super) fn len(state: &SharedState) -> usize {
    let mut n = record_len(tag::SCENARIO, state.scenario.len());
    if let Some(compare) = &state.compare {
        n = n.saturating_add(record_len(tag::COMPARE, compare.len()));
    }
    if let Some(flow) = &state.flow {
        let inner = record_len(flow_tag::FROM, flow.from.len())
            .saturating_add(record_len(flow_tag::TO, flow.to.len()))
            .saturating_add(record_len(flow_tag::PROBE, flow.probe.len()));
        n = n.saturating_add(record_len(tag::FLOW, inner));
    }
    n.saturating_add(record_len(tag::VIEW, varint_len(state.view.code())))
}

fn flow_bytes(flow: &SharedFlow) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, flow_tag::FROM, flow.from.as_bytes());
    record(&mut out, flow_tag::TO, flow.to.as_bytes());
    record(&mut out, flow_tag::PROBE, flow.probe.as_bytes());
    out
}

fn record(out: &mut Vec<u8>, tag: u64, value: &[u8]) {
    varint(out, tag);
    varint(out, value.len() as u64);
    out.extend_from_slice(value);
}

fn record_len(tag: u64, value_len: usize) -> usize {
    varint_len(tag).saturating_add(varint_len(value_len as u64)).saturating_add(value_len)
}

/// Unsigned LEB128.
fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn varint_len(n: u64) -> usize {
    let bits = 64 - (n | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Parses v1 records into a state.
pub(super) fn read(bytes: &[u8]) -> Result<SharedState, ShareErrorKind> {
    let mut scenario = None;
    let mut compare = None;
    let mut flow = None;
    let mut view = None;
    let mut records = Records { rest: bytes };
    while let Some((tag, value)) = records.next_record()? {
        match tag {
            tag::SCENARIO => set_once(&mut scenario, text(value, "scenario")?, "scenario")?,
            tag::COMPARE => set_once(&mut compare, text(value, "compare text")?, "compare text")?,
            tag::FLOW => set_once(&mut flow, read_flow(value)?, "flow")?,
            tag::VIEW => set_once(&mut view, read_view(value)?, "view")?,
            _ => {} // a field from a later release: skipped by design
        }
    }
    Ok(SharedState {
        scenario: scenario.ok_or(ShareErrorKind::MissingField { field: "scenario" })?,
        compare,
        flow,
        view: view.unwrap_or_default(),
    })
}

fn read_flow(bytes: &[u8]) -> Result<SharedFlow, ShareErrorKind> {
    let (mut from, mut to, mut probe) = (None, None, None);
    let mut records = Records { rest: bytes };
    while let Some((tag, value)) = records.next_record()? {
        match tag {
            flow_tag::FROM => set_once(&mut from, text(value, "flow source")?, "flow source")?,
            flow_tag::TO => set_once(&mut to, text(value, "flow destination")?, "flow destination")?,
            flow_tag::PROBE => set_once(&mut probe, text(value, "flow probe")?, "flow probe")?,
            _ => {}
        }
    }
    Ok(SharedFlow {
        from: from.ok_or(ShareErrorKind::MissingField { field: "flow source" })?,
        to: to.ok_or(ShareErrorKind::MissingField { field: "flow destination" })?,
        probe: probe.ok_or(ShareErrorKind::MissingField { field: "flow probe" })?,
    })
}

fn read_view(bytes: &[u8]) -> Result<View, ShareErrorKind> {
    let mut reader = Records { rest: bytes };
    match reader.varint() {
        Some(code) if reader.rest.is_empty() => Ok(View::from_code(code)),
        _ => Err(ShareErrorKind::BadView),
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, field: &'static str) -> Result<(), ShareErrorKind> {
    if slot.is_some() {
        return Err(ShareErrorKind::DuplicateField { field });
    }
    *slot = Some(value);
    Ok(())
}

fn text(bytes: &[u8], field: &'static str) -> Result<String, ShareErrorKind> {
    core::str::from_utf8(bytes).map(String::from).map_err(|_| ShareErrorKind::NotUtf8 { field })
}

/// A cursor over a record sequence.
struct Records<'a> {
    rest: &'a [u8],
}

impl<'a> Records<'a> {
    /// The next `(tag, value)`, `None` at a clean end.
    fn next_record(&mut self) -> Result<Option<(u64, &'a [u8])>, ShareErrorKind> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let tag = self.varint().ok_or(ShareErrorKind::PayloadTruncated)?;
        let len = self.varint().ok_or(ShareErrorKind::PayloadTruncated)?;
        let len = usize::try_from(len).map_err(|_| ShareErrorKind::PayloadTruncated)?;
        if len > self.rest.len() {
            return Err(ShareErrorKind::PayloadTruncated);
        }
        let (value, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(Some((tag, value)))
    }

    /// Reads one LEB128 varint; `None` if the bytes end inside it or it
    /// does not fit in 64 bits.
    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for (i, &byte) in self.rest.iter().enumerate().take(10) {
            let shift = 7 * i as u32;
            let group = u64::from(byte & 0x7f);
            if shift == 63 && group > 1 {
                return None;
            }
            n |= group << shift;
            if byte & 0x80 == 0 {
                self.rest = self.rest.get(i + 1..).unwrap_or_default();
                return Some(n);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn kind(bytes: &[u8]) -> Result<SharedState, ShareErrorKind> {
        read(bytes)
    }

    #[test]
    fn varint_lengths_and_round_trip() {
        for n in [0u64, 1, 127, 128, 300, 16_383, 16_384, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            varint(&mut out, n);
            assert_eq!(out.len(), varint_len(n), "{n}");
            let mut r = Records { rest: &out };
            assert_eq!(r.varint(), Some(n));
            assert!(r.rest.is_empty());
        }
    }

    #[test]
    fn varint_overflow_and_truncation_are_refused() {
        assert_eq!(Records { rest: &[0x80] }.varint(), None);
        assert_eq!(Records { rest: &[0xff; 10] }.varint(), None);
        let mut too_big = vec![0xff; 9];
        too_big.push(0x02);
        assert_eq!(Records { rest: &too_big }.varint(), None);
    }

    #[test]
    fn exact_bytes_of_a_small_state() {
        // Pinned: this is the contract the module docs describe.
        let state = SharedState {
            scenario: "ab".to_string(),
            compare: Some(String::new()),
            flow: Some(SharedFlow { from: "x".to_string(), to: "y".to_string(), probe: "T".to_string() }),
            view: View::Matrix,
        };
        let bytes = write(&state);
        assert_eq!(bytes, [1, 2, b'a', b'b', 2, 0, 3, 9, 1, 1, b'x', 2, 1, b'y', 3, 1, b'T', 4, 1, 1]);
        assert_eq!(len(&state), bytes.len());
        assert_eq!(read(&bytes), Ok(state));
    }

    #[test]
    fn unknown_tags_are_skipped_at_both_levels_in_any_order() {
        let bytes = [
            9, 3, 0xff, 0xfe, 0, // unknown top-level tag, not even UTF-8
            4, 1, 2, // view: inspector
            3, 13, 3, 1, b'P', 7, 0, 2, 1, b'y', 1, 1, b'x', 0,
            0, // flow, with unknown tag 7 inside; tag 0 unknown too
            1, 1, b's',
        ];
        assert_eq!(
            kind(&bytes),
            Ok(SharedState {
                scenario: "s".to_string(),
                compare: None,
                flow: Some(SharedFlow { from: "x".to_string(), to: "y".to_string(), probe: "P".to_string() }),
                view: View::Inspector,
            })
        );
    }

    #[test]
    fn missing_duplicate_and_malformed_fields() {
        assert_eq!(kind(&[]), Err(ShareErrorKind::MissingField { field: "scenario" }));
        assert_eq!(kind(&[4, 1, 0]), Err(ShareErrorKind::MissingField { field: "scenario" }));
        assert_eq!(kind(&[1, 0, 1, 0]), Err(ShareErrorKind::DuplicateField { field: "scenario" }));
        assert_eq!(kind(&[1, 0, 4, 1, 0, 4, 1, 0]), Err(ShareErrorKind::DuplicateField { field: "view" }));
        assert_eq!(kind(&[1, 1, 0xff]), Err(ShareErrorKind::NotUtf8 { field: "scenario" }));
        assert_eq!(kind(&[1, 0, 2, 1, 0xc3]), Err(ShareErrorKind::NotUtf8 { field: "compare text" }));
        assert_eq!(kind(&[1, 5, b'a']), Err(ShareErrorKind::PayloadTruncated));
        assert_eq!(kind(&[1]), Err(ShareErrorKind::PayloadTruncated));
        assert_eq!(kind(&[1, 0, 4, 0]), Err(ShareErrorKind::BadView));
        assert_eq!(kind(&[1, 0, 4, 2, 0, 0]), Err(ShareErrorKind::BadView));
        assert_eq!(kind(&[1, 0, 3, 3, 1, 1, b'x']), Err(ShareErrorKind::MissingField { field: "flow destination" }));
        assert_eq!(
            kind(&[1, 0, 3, 6, 1, 1, b'x', 1, 1, b'y']),
            Err(ShareErrorKind::DuplicateField { field: "flow source" })
        );
        assert_eq!(kind(&[1, 0, 3, 2, 1, 5]), Err(ShareErrorKind::PayloadTruncated));
    }
}
