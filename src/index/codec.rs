//! The byte-level pieces of the shard format (see `format.md`): LEB128
//! varints, little-endian floats, length-prefixed UTF-8 strings, and rows
//! of links with delta-coded ids and 16-bit quantised strengths.
//!
//! Hand-written rather than a serialisation crate: the format is ours and
//! documented for other producers, the decoder must check every length
//! against the bytes left before it allocates, and the query module should
//! not carry a general serialiser's code.

use crate::error::{Error, Result};

/// Appends encoded values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    /// The encoded bytes so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// Unsigned LEB128: 7 bits per byte, low bits first, high bit set on
    /// every byte but the last.
    pub fn varint(&mut self, mut x: u64) {
        while x >= 0x80 {
            self.bytes.push((x as u8) | 0x80);
            x >>= 7;
        }
        self.bytes.push(x as u8);
    }

    /// One byte.
    pub fn u8(&mut self, x: u8) {
        self.bytes.push(x);
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self, x: u16) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self, x: u32) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }

    /// IEEE 754 single, little-endian.
    pub fn f32(&mut self, x: f32) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }

    /// IEEE 754 double, little-endian.
    pub fn f64(&mut self, x: f64) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }

    /// A number, written in hundredths when that is exact (prices and
    /// most catalogue numbers): a varint `v`; when `v` is even, the number
    /// is `zigzag(v / 2) / 100`, computed in f64 (zigzag: 0, −1, 1, −2, …
    /// from 0, 1, 2, 3, …); when `v` is 1, an f64 follows. `61.99` takes 3
    /// bytes instead of 8, and the bytes compress.
    pub fn number(&mut self, x: f64) {
        let cents = (x * 100.0).round();
        // As the reader computes it, from the integer (so −0 stays an f64).
        let c = cents as i64;
        if cents.abs() < (1u64 << 52) as f64 && (c as f64 / 100.0).to_bits() == x.to_bits() {
            let zigzag = ((c << 1) ^ (c >> 63)) as u64;
            self.varint(zigzag << 1);
        } else {
            self.varint(1);
            self.f64(x);
        }
    }

    /// Length (varint) and UTF-8 bytes.
    pub fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// One row of links: count `n` (varint); when `n > 0` the row's
    /// largest strength `m` (f32), the ids (ascending: the first as it is,
    /// then the gaps, varints) and each strength as
    /// `round(s / m · 65535)` (u16). Strengths are positive.
    pub fn links(&mut self, ids: &[u32], strengths: &[f32]) {
        let max = strengths.iter().fold(0f32, |m, &s| m.max(s));
        if !self.link_ids(ids, max) {
            return;
        }
        for &s in strengths {
            let q = if max > 0.0 {
                (s.max(0.0) / max * 65535.0).round()
            } else {
                0.0
            };
            self.u16(q as u16);
        }
    }
}

impl Writer {
    /// One row of signed links (EASE's weights): as [`Writer::links`], with
    /// `m` the largest magnitude and each strength `round(s / m · 32767)`
    /// (i16).
    pub fn signed_links(&mut self, ids: &[u32], strengths: &[f32]) {
        let max = strengths.iter().fold(0f32, |m, &s| m.max(s.abs()));
        if !self.link_ids(ids, max) {
            return;
        }
        for &s in strengths {
            let q = if max > 0.0 {
                (s / max * 32767.0).round()
            } else {
                0.0
            };
            self.u16(q as i16 as u16);
        }
    }

    /// A links row's count, scale and ids; false when it is empty.
    fn link_ids(&mut self, ids: &[u32], max: f32) -> bool {
        debug_assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids ascend");
        self.varint(ids.len() as u64);
        if ids.is_empty() {
            return false;
        }
        self.f32(max);
        let mut previous = 0;
        for &id in ids {
            self.varint((id - previous) as u64);
            previous = id;
        }
        true
    }
}

/// Reads encoded values, checking every length against the bytes left.
/// Errors name the file and the byte offset.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    file: &'a str,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes`, whose errors name `file`.
    pub fn new(file: &'a str, bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0, file }
    }

    /// A [`Error::BadIndex`] at the current offset.
    pub fn error(&self, message: impl std::fmt::Display) -> Error {
        Error::BadIndex {
            file: self.file.to_string(),
            message: format!("at byte {}: {message}", self.at),
        }
    }

    /// True when every byte was read.
    pub fn is_at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// Bytes left to read.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.error(format!(
                "needs {n} more bytes, {} left (truncated?)",
                self.remaining()
            )));
        }
        let slice = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(slice)
    }

    /// An unsigned LEB128 varint.
    pub fn varint(&mut self) -> Result<u64> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            x |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(x);
            }
        }
        Err(self.error("a varint longer than 10 bytes"))
    }

    /// A varint that counts things of at least `min_bytes` bytes each, so
    /// a corrupt count cannot make the caller allocate more than the file
    /// could hold.
    pub fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let n = self.varint()?;
        if n > (self.remaining() / min_bytes.max(1)) as u64 {
            return Err(self.error(format!(
                "a count of {n} does not fit in the {} bytes left",
                self.remaining()
            )));
        }
        Ok(n as usize)
    }

    /// A varint that must be below `bound` (an index).
    pub fn index(&mut self, bound: usize, what: &str) -> Result<u32> {
        let x = self.varint()?;
        if x >= bound as u64 {
            return Err(self.error(format!("{what} {x} is out of range (< {bound})")));
        }
        Ok(x as u32)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// IEEE 754 single, little-endian.
    pub fn f32(&mut self) -> Result<f32> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// IEEE 754 double, little-endian.
    pub fn f64(&mut self) -> Result<f64> {
        let b: [u8; 8] = self.take(8)?.try_into().expect("8 bytes");
        Ok(f64::from_le_bytes(b))
    }

    /// A finite number.
    pub fn finite_f64(&mut self, what: &str) -> Result<f64> {
        let x = self.f64()?;
        if !x.is_finite() {
            return Err(self.error(format!("{what} {x} is not finite")));
        }
        Ok(x)
    }

    /// A finite number written by [`Writer::number`].
    pub fn number(&mut self, what: &str) -> Result<f64> {
        match self.varint()? {
            1 => self.finite_f64(what),
            v if v % 2 == 0 && v >> 1 < 1 << 53 => {
                let zigzag = v >> 1;
                let c = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
                Ok(c as f64 / 100.0)
            }
            v => Err(self.error(format!(
                "{what}: number tag {v} is neither 1 nor an even hundredths count"
            ))),
        }
    }

    /// A length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Result<String> {
        let n = self.count(1)?;
        let bytes = self.take(n)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(self.error("a string that is not UTF-8")),
        }
    }

    /// One row written by [`Writer::links`]; ids must stay below `bound`.
    pub fn links(&mut self, bound: usize, out: &mut Vec<(u32, f32)>) -> Result<()> {
        let Some(max) = self.link_ids(bound, out)? else {
            return Ok(());
        };
        for link in out.iter_mut() {
            link.1 = self.u16()? as f32 / 65535.0 * max;
        }
        Ok(())
    }

    /// Reads a row [`Writer::signed_links`] wrote.
    pub fn signed_links(&mut self, bound: usize, out: &mut Vec<(u32, f32)>) -> Result<()> {
        let Some(max) = self.link_ids(bound, out)? else {
            return Ok(());
        };
        for link in out.iter_mut() {
            link.1 = self.u16()? as i16 as f32 / 32767.0 * max;
        }
        Ok(())
    }

    /// A links row's ids into `out` (strengths 0), and its scale; `None`
    /// for an empty row.
    fn link_ids(&mut self, bound: usize, out: &mut Vec<(u32, f32)>) -> Result<Option<f32>> {
        out.clear();
        // Each link takes at least one id byte and two strength bytes.
        let n = self.count(3)?;
        if n == 0 {
            return Ok(None);
        }
        let max = self.f32()?;
        if !(max.is_finite() && max >= 0.0) {
            return Err(self.error(format!("row scale {max} is not a finite number ≥ 0")));
        }
        let mut id = 0u64;
        for k in 0..n {
            let gap = self.varint()?;
            if k > 0 && gap == 0 {
                return Err(self.error("link ids must ascend"));
            }
            id += gap;
            if id >= bound as u64 {
                return Err(self.error(format!("link id {id} is out of range (< {bound})")));
            }
            out.push((id as u32, 0.0));
        }
        Ok(Some(max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_links_round_trip() {
        let mut w = Writer::default();
        w.signed_links(&[2, 5, 9], &[0.5, -1.0, 0.25]);
        w.signed_links(&[], &[]);
        let mut r = Reader::new("t", &w.bytes);
        let mut row = Vec::new();
        r.signed_links(10, &mut row).unwrap();
        let ids: Vec<u32> = row.iter().map(|l| l.0).collect();
        assert_eq!(ids, [2, 5, 9]);
        for (got, want) in row.iter().map(|l| l.1).zip([0.5, -1.0, 0.25]) {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
        r.signed_links(10, &mut row).unwrap();
        assert!(row.is_empty());
    }

    #[test]
    fn varints_strings_and_links_round_trip() {
        let mut w = Writer::default();
        for x in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            w.varint(x);
        }
        w.str("tëst");
        w.links(&[2, 5, 6], &[0.5, 1.0, 0.25]);
        w.links(&[], &[]);
        // 300 = 0b10_0101100: 0xAC 0x02 (after 0, 1, 127 and 128 = 0x80 0x01).
        assert_eq!(&w.bytes[5..7], &[0xac, 0x02]);
        let mut r = Reader::new("t", &w.bytes);
        for x in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            assert_eq!(r.varint().unwrap(), x);
        }
        assert_eq!(r.str().unwrap(), "tëst");
        let mut row = Vec::new();
        r.links(10, &mut row).unwrap();
        // Strengths come back within 1/65535 of the row's largest.
        let expected = [(2, 0.5), (5, 1.0), (6, 0.25)];
        assert_eq!(row.len(), 3);
        for (got, want) in row.iter().zip(expected) {
            assert_eq!(got.0, want.0);
            assert!((got.1 - want.1).abs() <= 1.0 / 65535.0, "{got:?}");
        }
        r.links(10, &mut row).unwrap();
        assert!(row.is_empty() && r.is_at_end());
    }

    #[test]
    fn numbers_in_hundredths_round_trip_bit_for_bit() {
        let xs = [
            0.0,
            -0.0,
            61.99,
            -3.5,
            0.1,
            1e-3,
            1.0 / 3.0,
            1e300,
            4503599627370.49,
            f64::MAX,
            12.0,
        ];
        let mut w = Writer::default();
        for x in xs {
            w.number(x);
        }
        // 61.99 → 6199 cents → zigzag 12398 → tag 24796: 3 bytes (after 0.0's 1
        // byte and −0.0's 9: its sign does not survive hundredths).
        assert_eq!(&w.bytes[10..13], &[0xdc, 0xc1, 0x01]);
        let mut r = Reader::new("t", &w.bytes);
        for x in xs {
            assert_eq!(r.number("x").unwrap().to_bits(), x.to_bits(), "{x}");
        }
        assert!(r.is_at_end());
        let e = Reader::new("t", &[3]).number("price").unwrap_err();
        assert!(e.to_string().contains("price: number tag 3"), "{e}");
    }

    #[test]
    fn corrupt_input_is_an_error_not_an_allocation() {
        let mut w = Writer::default();
        w.varint(1 << 40);
        let e = Reader::new("f.bin", &w.bytes).str().unwrap_err();
        assert_eq!(e.code(), "bad_index");
        assert!(
            e.to_string()
                .starts_with("model index f.bin: at byte 6: a count of"),
            "{e}"
        );
        let mut w = Writer::default();
        w.links(&[3], &[1.0]);
        let mut row = Vec::new();
        let e = Reader::new("f", &w.bytes).links(3, &mut row).unwrap_err();
        assert!(e.to_string().contains("link id 3 is out of range"), "{e}");
        let e = Reader::new("f", &w.bytes[..6])
            .links(9, &mut row)
            .unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }
}
