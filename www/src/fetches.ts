/**
 * What the engine's worker fetched, for pages that show a shopper every
 * file a page loaded ("Your data" in the demo). A page's own resource
 * timing leaves out what its Web Workers fetch (the catalogue, the model
 * index's shards, the wasm module); each worker has its own timeline. The
 * worker reads its timeline (`observeFetches`) and posts each new entry to
 * the page, where `Engine.fetched()` and `Engine.onFetch` hand them out.
 *
 * The browser's timeline, not a wrapper around `fetch`, is the source: it
 * also sees what the wasm glue and the worker's module imports fetch.
 */

/** One file fetched, as the browser's resource timing reports it. */
export interface Fetched {
  /** The URL, as requested. */
  url: string;
  /** Body bytes as they arrived (compressed size when the server compressed it). */
  bytes: number;
  /** Bytes that crossed the network, headers included; 0 when the browser's cache answered. */
  transferred: number;
  /** When the fetch started, in ms since 1970 (so the page's and a worker's files sort together). */
  at: number;
  /** How long it took, in ms. */
  ms: number;
}

/** The part of a `PerformanceResourceTiming` read here. */
interface ResourceEntry {
  name: string;
  startTime: number;
  duration: number;
  encodedBodySize?: number;
  transferSize?: number;
}

/** A resource timing entry as a `Fetched`; `origin` is the timeline's `performance.timeOrigin`. */
export function fetchedOf(entry: ResourceEntry, origin: number): Fetched {
  return {
    url: entry.name,
    bytes: entry.encodedBodySize ?? 0,
    transferred: entry.transferSize ?? 0,
    at: origin + entry.startTime,
    ms: entry.duration,
  };
}

/**
 * Calls `report` with this thread's fetches: those already made (buffered)
 * and each later one as it completes. A no-op where the thread has no
 * `PerformanceObserver` (Node).
 */
export function observeFetches(report: (files: Fetched[]) => void): void {
  if (typeof PerformanceObserver === "undefined" || typeof performance === "undefined") return;
  // The default buffer keeps 250 entries; a long session past that would lose the oldest.
  (performance as { setResourceTimingBufferSize?: (n: number) => void }).setResourceTimingBufferSize?.(2000);
  const origin = performance.timeOrigin;
  try {
    new PerformanceObserver((list) => report(list.getEntries().map((e) => fetchedOf(e as ResourceEntry, origin)))).observe({ type: "resource", buffered: true });
  } catch {
    // A browser without resource timing in workers: nothing to report.
  }
}

/** The files an engine's workers reported, kept in order, with listeners for new ones. */
export class FetchLog {
  private readonly files: Fetched[] = [];
  private readonly listeners = new Set<(files: readonly Fetched[]) => void>();

  /** Adds files a worker reported; tells every listener. */
  readonly add = (files: readonly Fetched[]): void => {
    if (!files.length) return;
    this.files.push(...files);
    for (const listener of this.listeners) listener(files);
  };

  /** Every file reported so far, oldest first. */
  all(): Fetched[] {
    return [...this.files];
  }

  /** Calls `listener` with each batch of newly reported files; returns the unsubscribe function. */
  subscribe(listener: (files: readonly Fetched[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
