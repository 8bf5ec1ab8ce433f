//! Splitting a fit's rows over the machine's cores.
//!
//! The fits that dominate a build (content links, EASE's Gram matrix, ALS's
//! half-steps) are independent per row, so each core takes a contiguous
//! chunk and the chunks are joined in order: the result never depends on
//! the number of threads. Plain scoped threads are enough for that; a work
//! stealing pool (rayon) would add a dependency for no measured gain.

/// `rows(range)` over `0..n` in chunks, one per core natively (one chunk
/// in wasm, which has no threads here), joined in order. Below `min_rows`
/// rows a single chunk is used (threads cost more than they save).
pub fn in_parallel<T: Send>(
    n: usize,
    min_rows: usize,
    rows: &(dyn Fn(std::ops::Range<usize>) -> Vec<T> + Sync),
) -> Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = threads();
        if threads > 1 && n >= min_rows.max(threads) {
            let chunk = n.div_ceil(threads);
            return std::thread::scope(|scope| {
                let handles: Vec<_> = (0..n)
                    .step_by(chunk)
                    .map(|start| scope.spawn(move || rows(start..(start + chunk).min(n))))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("a fit thread panicked"))
                    .collect()
            });
        }
    }
    let _ = min_rows;
    rows(0..n)
}

static THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Caps the threads a fit uses (0: one per core, the default). The CLI sets
/// it from `POCKETREC_THREADS`, so a benchmark can compare single-threaded
/// fits.
pub fn set_threads(n: usize) {
    THREADS.store(n, std::sync::atomic::Ordering::Relaxed);
}

/// The number of threads a fit uses (see [`set_threads`]); 1 in wasm.
pub fn threads() -> usize {
    if cfg!(target_arch = "wasm32") {
        return 1;
    }
    match THREADS.load(std::sync::atomic::Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |t| t.get()),
        n => n,
    }
}
