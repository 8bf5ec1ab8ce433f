//! Compressed sparse rows: the one matrix layout of the crate.
//!
//! Item vectors, the item-user matrix and the item-item neighbour lists are
//! all CSR. We write it by hand (about a hundred lines) because sprs or
//! nalgebra-sparse would add more wasm bytes than the few operations we need
//! (build from triplets, transpose, row access) are worth.

/// A sparse matrix in compressed sparse row layout with `f32` values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csr {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
    cols: usize,
}

impl Csr {
    /// Builds a matrix from `(row, col, value)` triplets. Duplicates are
    /// summed; each row's columns end up sorted ascending.
    pub fn from_triplets(rows: usize, cols: usize, triplets: &[(u32, u32, f32)]) -> Csr {
        let mut counts = vec![0usize; rows + 1];
        for &(r, _, _) in triplets {
            counts[r as usize + 1] += 1;
        }
        for r in 0..rows {
            counts[r + 1] += counts[r];
        }
        let mut next = counts.clone();
        let mut indices = vec![0u32; triplets.len()];
        let mut values = vec![0f32; triplets.len()];
        for &(r, c, v) in triplets {
            let slot = &mut next[r as usize];
            indices[*slot] = c;
            values[*slot] = v;
            *slot += 1;
        }
        let mut m = Csr {
            indptr: counts,
            indices,
            values,
            cols,
        };
        m.sort_and_merge_rows();
        m
    }

    /// Builds a matrix from rows already in order, each with sorted, distinct columns.
    pub fn from_rows(cols: usize, rows: impl IntoIterator<Item = Vec<(u32, f32)>>) -> Csr {
        let mut m = Csr {
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
            cols,
        };
        for row in rows {
            for (c, v) in row {
                m.indices.push(c);
                m.values.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }

    /// A matrix from its entries in row-major order, `indices` and `values`
    /// side by side, with `counts[r + 1]` entries in row `r` (`counts[0]`
    /// is 0): the arrays are kept, not copied.
    pub fn from_counts(
        cols: usize,
        mut counts: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f32>,
    ) -> Csr {
        for r in 1..counts.len() {
            counts[r] += counts[r - 1];
        }
        assert_eq!(counts.last(), Some(&indices.len()), "counts match entries");
        assert_eq!(indices.len(), values.len(), "an index per value");
        Csr {
            indptr: counts,
            indices,
            values,
            cols,
        }
    }

    /// Sorts each row by column and sums repeated columns.
    fn sort_and_merge_rows(&mut self) {
        let mut out_indptr = Vec::with_capacity(self.indptr.len());
        out_indptr.push(0);
        let mut write = 0;
        let mut row: Vec<(u32, f32)> = Vec::new();
        for r in 0..self.rows() {
            row.clear();
            let (s, e) = (self.indptr[r], self.indptr[r + 1]);
            row.extend(
                self.indices[s..e]
                    .iter()
                    .copied()
                    .zip(self.values[s..e].iter().copied()),
            );
            sort_by_index(&mut row);
            let mut last: Option<u32> = None;
            for &(c, v) in &row {
                if last == Some(c) {
                    self.values[write - 1] += v;
                } else {
                    self.indices[write] = c;
                    self.values[write] = v;
                    write += 1;
                    last = Some(c);
                }
            }
            out_indptr.push(write);
        }
        self.indices.truncate(write);
        self.values.truncate(write);
        self.indptr = out_indptr;
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Stored entries per column (for a users × items matrix, each item's
    /// distinct users).
    pub fn column_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.cols];
        self.indices.iter().for_each(|&c| counts[c as usize] += 1);
        counts
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Column indices and values of row `r`.
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (s, e) = (self.indptr[r], self.indptr[r + 1]);
        (&self.indices[s..e], &self.values[s..e])
    }

    /// Mutable values of row `r`.
    pub fn row_values_mut(&mut self, r: usize) -> &mut [f32] {
        let (s, e) = (self.indptr[r], self.indptr[r + 1]);
        &mut self.values[s..e]
    }

    /// Positions of row `r`'s entries in [`Csr::values`].
    pub fn row_range(&self, r: usize) -> std::ops::Range<usize> {
        self.indptr[r]..self.indptr[r + 1]
    }

    /// Number of entries in row `r`.
    pub fn row_len(&self, r: usize) -> usize {
        self.indptr[r + 1] - self.indptr[r]
    }

    /// The stored value at `(r, c)`, or 0.
    pub fn get(&self, r: usize, c: u32) -> f32 {
        let (cols, vals) = self.row(r);
        cols.binary_search(&c).map_or(0.0, |i| vals[i])
    }

    /// All values, row after row.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// Mutable access to all values, row after row, with each value's column.
    pub fn values_mut(&mut self) -> (&[u32], &mut [f32]) {
        (&self.indices, &mut self.values)
    }

    /// The transpose, with sorted rows (a counting sort, O(nnz + cols)).
    pub fn transpose(&self) -> Csr {
        let mut counts = vec![0usize; self.cols + 1];
        for &c in &self.indices {
            counts[c as usize + 1] += 1;
        }
        for c in 0..self.cols {
            counts[c + 1] += counts[c];
        }
        let mut next = counts.clone();
        let mut indices = vec![0u32; self.nnz()];
        let mut values = vec![0f32; self.nnz()];
        for r in 0..self.rows() {
            let (cols, vals) = self.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                let slot = &mut next[c as usize];
                indices[*slot] = r as u32;
                values[*slot] = v;
                *slot += 1;
            }
        }
        Csr {
            indptr: counts,
            indices,
            values,
            cols: self.rows(),
        }
    }

    /// Scales each row to unit L2 norm (rows of norm 0 stay 0).
    pub fn normalize_rows(&mut self) {
        for r in 0..self.rows() {
            let vals = self.row_values_mut(r);
            let norm = vals.iter().map(|v| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                vals.iter_mut().for_each(|v| *v /= norm);
            }
        }
    }
}

/// Sorts sparse entries by index. Every such sort in the crate goes through
/// here, so the wasm module carries one copy of the sort, not one per call
/// site (each closure would be its own instantiation).
pub fn sort_by_index(entries: &mut [(u32, f32)]) {
    entries.sort_unstable_by(by_index);
}

fn by_index(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    a.0.cmp(&b.0)
}

/// Dot product of two sparse vectors with sorted indices (a merge).
pub fn sparse_dot(a: (&[u32], &[f32]), b: (&[u32], &[f32])) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.0.len() && j < b.0.len() {
        match a.0[i].cmp(&b.0[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a.1[i] * b.1[j];
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triplets_are_sorted_and_summed() {
        let m = Csr::from_triplets(2, 3, &[(1, 2, 1.0), (0, 2, 2.0), (0, 0, 1.0), (0, 2, 3.0)]);
        assert_eq!(m.row(0), (&[0u32, 2][..], &[1.0f32, 5.0][..]));
        assert_eq!(m.row(1), (&[2u32][..], &[1.0f32][..]));
        assert_eq!(m.get(0, 1), 0.0);
    }

    #[test]
    fn transpose_round_trips() {
        let m = Csr::from_triplets(2, 3, &[(0, 0, 1.0), (0, 2, 2.0), (1, 1, 3.0)]);
        let t = m.transpose();
        assert_eq!((t.rows(), t.cols()), (3, 2));
        assert_eq!(t.row(2), (&[0u32][..], &[2.0f32][..]));
        assert_eq!(t.transpose(), m);
    }

    #[test]
    fn normalize_and_dot() {
        // Row (3, 4) has norm 5: normalised to (0.6, 0.8).
        let mut m = Csr::from_triplets(2, 2, &[(0, 0, 3.0), (0, 1, 4.0)]);
        m.normalize_rows();
        assert_eq!(m.row(0).1, &[0.6, 0.8]);
        assert_eq!(m.row_len(1), 0);
        // (0.6, 0.8) · (0, 2) = 1.6
        assert!((sparse_dot(m.row(0), (&[1], &[2.0])) - 1.6).abs() < 1e-6);
    }
}
