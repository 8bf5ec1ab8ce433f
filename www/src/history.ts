/**
 * The shopper's own history, kept in their browser (localStorage) and never
 * sent anywhere.
 *
 * Stored as `{"v": 1, "events": [...]}` under one key. Loading is careful:
 * a value that is not JSON, or JSON of another shape or a newer version,
 * is never silently dropped. It is moved aside to `<key>:set-aside:<time>`,
 * reported through `onProblem`, and the history starts empty. Version 0 (a
 * bare array of events) is upgraded. The history is bounded: past
 * `maxEvents` the oldest events go. When storage is full, the oldest half
 * is dropped and the write retried once; when storage is unavailable
 * (private mode, disabled), the history lives in memory for the page.
 *
 * The same value holds the shopper's experiment assignments
 * (`Engine.variant`), as `"variants": {"<experiment>": "<variant>"}` (left
 * out while there are none), so they are shown by `export()` and erased by
 * `clear()` with the events.
 */

/** Something the shopper did, as the engine's `recommend` takes it. */
export interface HistoryEvent {
  /** Catalogue item id. */
  item: string;
  /** `view`, `cart`, `purchase`, … (weighted by the engine's config). */
  event?: string;
  /** Weight; default 1. */
  weight?: number;
  /** Seconds since 1970. */
  timestamp?: number;
}

/** What went wrong with the stored value, and where it was put. */
export interface HistoryProblem {
  kind: "corrupt" | "foreign" | "quota" | "unavailable";
  message: string;
  /** Key the unreadable value was moved to, when it was moved. */
  setAsideKey?: string;
}

/** The part of the Web Storage API the history uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Enumeration (as in Web Storage), to find values set aside earlier. */
  readonly length?: number;
  key?(index: number): string | null;
}

export interface HistoryOptions {
  /** Storage key. Default `"pocketrec:history"`. */
  key?: string;
  /** Most events kept; older ones are dropped first. Default 500. */
  maxEvents?: number;
  /** Where to keep it. Default `globalThis.localStorage`, else memory. */
  storage?: StorageLike;
  /** Called for every problem found; default: `console.warn`. */
  onProblem?: (problem: HistoryProblem) => void;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

/** The schema version written by this code. */
export const HISTORY_VERSION = 1;

interface Stored {
  v: number;
  events: HistoryEvent[];
  /** Experiment name → assigned variant (`Engine.variant`); absent when empty. */
  variants?: Record<string, string>;
}

/** The most experiment assignments kept per history (see `setVariant`). */
export const MAX_VARIANTS = 100;

function memoryStorage(): StorageLike {
  const values = new Map<string, string>();
  return {
    getItem: (k) => values.get(k) ?? null,
    setItem: (k, v) => void values.set(k, v),
    removeItem: (k) => void values.delete(k),
    get length() {
      return values.size;
    },
    key: (i) => [...values.keys()][i] ?? null,
  };
}

function defaultStorage(report: (p: HistoryProblem) => void): StorageLike {
  try {
    const storage = globalThis.localStorage;
    if (storage) {
      return storage;
    }
  } catch {
    // Accessing localStorage throws where it is disabled.
  }
  report({ kind: "unavailable", message: "pocketrec: local storage is unavailable; the history lasts for this page only" });
  return memoryStorage();
}

/** A valid event, or undefined. */
function readEvent(value: unknown): HistoryEvent | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  if (typeof v.item !== "string" || v.item === "") {
    return undefined;
  }
  const event: HistoryEvent = { item: v.item };
  if (typeof v.event === "string") event.event = v.event;
  if (typeof v.weight === "number" && Number.isFinite(v.weight)) event.weight = v.weight;
  if (typeof v.timestamp === "number" && Number.isFinite(v.timestamp)) event.timestamp = v.timestamp;
  return event;
}

function isQuotaError(e: unknown): boolean {
  return e instanceof Error && (e.name === "QuotaExceededError" || e.name === "NS_ERROR_DOM_QUOTA_REACHED");
}

/** The shopper's events, persisted locally. */
export class History {
  readonly key: string;
  private readonly maxEvents: number;
  private readonly storage: StorageLike;
  private readonly report: (p: HistoryProblem) => void;
  private readonly now: () => number;
  private list: HistoryEvent[];
  /** Experiment → variant, in the order assigned (read by `load`, so declared before it runs). */
  private assigned = new Map<string, string>();
  private readonly listeners = new Set<(events: readonly HistoryEvent[]) => void>();

  constructor(options: HistoryOptions = {}) {
    this.key = options.key ?? "pocketrec:history";
    this.maxEvents = Math.max(1, Math.floor(options.maxEvents ?? 500));
    this.report = options.onProblem ?? ((p) => console.warn(p.message));
    this.now = options.now ?? Date.now;
    this.storage = options.storage ?? defaultStorage(this.report);
    this.list = this.load();
    if (!options.storage && typeof globalThis.addEventListener === "function") {
      // Another tab of the same shop changed it (or cleared it): follow.
      globalThis.addEventListener("storage", (e: StorageEvent) => {
        if (e.storageArea === this.storage && (e.key === this.key || e.key === null)) this.reload();
      });
    }
  }

  /** Reads the stored history again (after another tab changed it) and notifies. */
  reload(): void {
    this.readOnly = false;
    this.list = this.load();
    this.emit();
  }

  /** The events, oldest first. */
  events(): readonly HistoryEvent[] {
    return this.list;
  }

  /** Records an event (its timestamp defaults to now) and saves. */
  add(event: HistoryEvent): void {
    const checked = readEvent(event);
    if (!checked) {
      throw new TypeError(`pocketrec: a history event needs a non-empty string "item", got ${JSON.stringify(event)}`);
    }
    checked.timestamp ??= Math.floor(this.now() / 1000);
    this.list = [...this.list, checked].slice(-this.maxEvents);
    this.save();
    this.emit();
  }

  /** Everything stored (events and experiment assignments), as JSON text, for the shopper to see or keep. */
  export(): string {
    return JSON.stringify(this.stored(), null, 2);
  }

  /** The variant this browser was assigned in `experiment`, if any (see `Engine.variant`). */
  variant(experiment: string): string | undefined {
    return this.assigned.get(experiment);
  }

  /** Every experiment assignment, experiment → variant. */
  variants(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.assigned);
  }

  /**
   * Records that this browser is in `variant` of `experiment`, and saves
   * (with the events, so `clear()` forgets it). Listeners are not called:
   * the events did not change. At most `MAX_VARIANTS` experiments are kept;
   * a new one past that throws a `RangeError` (an old assignment is never
   * dropped, which would silently move a shopper to another variant).
   */
  setVariant(experiment: string, variant: string): void {
    if (!this.assigned.has(experiment) && this.assigned.size >= MAX_VARIANTS) {
      throw new RangeError(`pocketrec: at most ${MAX_VARIANTS} experiments are kept per history; "${experiment}" would be one more`);
    }
    this.assigned.set(experiment, variant);
    this.save();
  }

  /** Keys of unreadable values set aside by this or an earlier page. */
  setAsideKeys(): string[] {
    const keys: string[] = [];
    const { length, key } = this.storage;
    if (length === undefined || key === undefined) {
      return keys;
    }
    for (let i = 0; i < length; i++) {
      const k = key.call(this.storage, i);
      if (k !== null && k.startsWith(`${this.key}:set-aside:`)) keys.push(k);
    }
    return keys.sort();
  }

  /** Forgets everything ("forget me"): the events and any value set aside. */
  clear(): void {
    for (const k of this.setAsideKeys()) this.storage.removeItem(k);
    this.list = [];
    this.assigned = new Map();
    this.storage.removeItem(this.key);
    this.readOnly = false;
    this.emit();
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (events: readonly HistoryEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.list);
  }

  /** What is written: the events, and the assignments when there are any. */
  private stored(): Stored {
    const stored: Stored = { v: HISTORY_VERSION, events: this.list };
    if (this.assigned.size) stored.variants = Object.fromEntries(this.assigned);
    return stored;
  }

  /** A stored `variants` object's string entries; entries of another kind are skipped and reported. */
  private readVariants(value: unknown): Map<string, string> {
    const read = new Map<string, string>();
    if (value === undefined) return read;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.report({ kind: "corrupt", message: "pocketrec: the stored experiment assignments are not an object; they were skipped" });
      return read;
    }
    const entries = Object.entries(value);
    for (const [name, variant] of entries) {
      if (typeof variant === "string" && read.size < MAX_VARIANTS) read.set(name, variant);
    }
    const skipped = entries.length - read.size;
    if (skipped > 0) this.report({ kind: "corrupt", message: `pocketrec: ${skipped} unreadable experiment assignments were skipped` });
    return read;
  }

  private load(): HistoryEvent[] {
    this.assigned = new Map();
    const raw = this.storage.getItem(this.key);
    if (raw === null) {
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      this.setAside(raw, "corrupt", "the stored history is not valid JSON");
      return [];
    }
    // Version 0: a bare array of events.
    const stored: unknown = Array.isArray(parsed) ? { v: 0, events: parsed } : parsed;
    const s = stored as Partial<Stored> | null;
    if (typeof s !== "object" || s === null || typeof s.v !== "number" || !Array.isArray(s.events) || s.v > HISTORY_VERSION) {
      this.setAside(raw, "foreign", `the stored value is not a pocketrec history of version ≤ ${HISTORY_VERSION}`);
      return [];
    }
    const events = s.events.map(readEvent).filter((e): e is HistoryEvent => e !== undefined);
    this.assigned = this.readVariants(s.variants);
    const dropped = s.events.length - events.length;
    if (dropped > 0) {
      this.report({ kind: "corrupt", message: `pocketrec: ${dropped} unreadable history events were skipped` });
    }
    const kept = events.slice(-this.maxEvents);
    if (s.v < HISTORY_VERSION || dropped > 0 || this.assigned.size !== Object.keys(s.variants ?? {}).length) {
      this.list = kept;
      this.save();
    }
    return kept;
  }

  /** Moves an unreadable value aside (never deletes it) and reports it. */
  private setAside(raw: string, kind: "corrupt" | "foreign", why: string): void {
    const setAsideKey = `${this.key}:set-aside:${this.now()}`;
    try {
      this.storage.setItem(setAsideKey, raw);
      this.storage.removeItem(this.key);
      this.report({ kind, setAsideKey, message: `pocketrec: ${why}; it was kept under "${setAsideKey}" and a new history started` });
    } catch {
      // No room to copy it: leave it where it is and keep this history in memory.
      this.report({ kind, message: `pocketrec: ${why}; it was left in place (no room to set it aside) and this history is kept in memory only` });
      this.readOnly = true;
    }
  }

  private readOnly = false;

  private save(): void {
    if (this.readOnly) {
      return;
    }
    const write = () => this.storage.setItem(this.key, JSON.stringify(this.stored()));
    try {
      write();
    } catch (e) {
      if (!isQuotaError(e)) {
        throw e;
      }
      // Storage full: keep the newest half and try once more.
      this.list = this.list.slice(Math.floor(this.list.length / 2));
      try {
        write();
        this.report({ kind: "quota", message: "pocketrec: local storage is full; the older half of the history was dropped" });
      } catch {
        this.report({ kind: "quota", message: "pocketrec: local storage is full; the history is kept in memory for this page" });
      }
    }
  }
}

const histories = new Map<string, History>();

/** One `History` per storage key per page, shared by every element, the engine's `variant` and the page's code. */
export function sharedHistory(key = "pocketrec:history"): History {
  let history = histories.get(key);
  if (!history) {
    history = new History({ key });
    histories.set(key, history);
  }
  return history;
}
