import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { History, HISTORY_VERSION, type HistoryProblem, type StorageLike } from "../../src/history.js";

/** An in-memory Web Storage with enumeration and an optional size limit. */
function fakeStorage(limitChars = Infinity) {
  const values = new Map<string, string>();
  const storage: StorageLike & { values: Map<string, string> } = {
    values,
    getItem: (k) => values.get(k) ?? null,
    setItem: (k, v) => {
      const used = [...values].reduce((n, [key, val]) => n + (key === k ? 0 : key.length + val.length), 0);
      if (used + k.length + v.length > limitChars) {
        const e = new Error("full");
        e.name = "QuotaExceededError";
        throw e;
      }
      values.set(k, v);
    },
    removeItem: (k) => void values.delete(k),
    get length() {
      return values.size;
    },
    key: (i) => [...values.keys()][i] ?? null,
  };
  return storage;
}

function collect() {
  const problems: HistoryProblem[] = [];
  return { problems, onProblem: (p: HistoryProblem) => void problems.push(p) };
}

const now = () => 1_700_000_000_000;

describe("History", () => {
  it("survives a reload and keeps events in order with timestamps", () => {
    const storage = fakeStorage();
    const h = new History({ storage, now });
    h.add({ item: "mug", event: "view" });
    h.add({ item: "teapot", event: "cart", timestamp: 5 });
    const again = new History({ storage, now });
    assert.deepEqual(again.events(), [
      { item: "mug", event: "view", timestamp: 1_700_000_000 },
      { item: "teapot", event: "cart", timestamp: 5 },
    ]);
    assert.equal(JSON.parse(storage.values.get("pocketrec:history")!).v, HISTORY_VERSION);
  });

  it("is bounded: the oldest events go first", () => {
    const h = new History({ storage: fakeStorage(), maxEvents: 3, now });
    for (const item of ["a", "b", "c", "d"]) h.add({ item });
    assert.deepEqual(h.events().map((e) => e.item), ["b", "c", "d"]);
  });

  it("sets a corrupt value aside instead of wiping it, and reports it", () => {
    const storage = fakeStorage();
    storage.setItem("pocketrec:history", "{not json");
    const { problems, onProblem } = collect();
    const h = new History({ storage, onProblem, now });
    assert.deepEqual(h.events(), []);
    assert.equal((problems).length, 1);
    assert.equal(problems[0]!.kind, "corrupt");
    const aside = problems[0]!.setAsideKey!;
    assert.equal(storage.values.get(aside), "{not json");
    assert.ok((problems[0]!.message).includes(aside));
    assert.deepEqual(h.setAsideKeys(), [aside]);
    // The page goes on working.
    h.add({ item: "mug" });
    assert.equal((new History({ storage, now }).events()).length, 1);
  });

  it("sets foreign and newer-version values aside", () => {
    for (const raw of ['{"theme": "dark"}', `{"v": ${HISTORY_VERSION + 1}, "events": []}`, "42"]) {
      const storage = fakeStorage();
      storage.setItem("pocketrec:history", raw);
      const { problems, onProblem } = collect();
      new History({ storage, onProblem, now });
      assert.deepEqual(problems.map((p) => p.kind), ["foreign"]);
      assert.equal(storage.values.get(problems[0]!.setAsideKey!), raw);
    }
  });

  it("upgrades version 0 (a bare array) and skips unreadable events with a report", () => {
    const storage = fakeStorage();
    storage.setItem("pocketrec:history", JSON.stringify([{ item: "mug" }, { nope: 1 }, { item: "cups", weight: 2 }]));
    const { problems, onProblem } = collect();
    const h = new History({ storage, onProblem, now });
    assert.deepEqual(h.events(), [{ item: "mug" }, { item: "cups", weight: 2 }]);
    assert.deepEqual(problems.map((p) => p.kind), ["corrupt"]);
    assert.ok((problems[0]!.message).includes("1 unreadable"));
    assert.deepEqual(JSON.parse(storage.values.get("pocketrec:history")!), { v: HISTORY_VERSION, events: h.events() });
  });

  it("handles a full storage by dropping the older half, and reports it", () => {
    const storage = fakeStorage(600);
    const { problems, onProblem } = collect();
    const h = new History({ storage, onProblem, now });
    for (let i = 0; i < 20; i++) h.add({ item: `item-${i}` });
    assert.equal(problems.some((p) => p.kind === "quota"), true);
    assert.equal(h.events().at(-1)!.item, "item-19");
    assert.ok((h.events().length) < 20);
  });

  it("falls back to memory when storage is unavailable", () => {
    const { problems, onProblem } = collect();
    const saved = Object.getOwnPropertyDescriptor(globalThis, "localStorage");
    Object.defineProperty(globalThis, "localStorage", { configurable: true, get: () => { throw new Error("disabled"); } });
    try {
      const h = new History({ onProblem, now });
      h.add({ item: "mug" });
      assert.equal((h.events()).length, 1);
      assert.deepEqual(problems.map((p) => p.kind), ["unavailable"]);
    } finally {
      if (saved) Object.defineProperty(globalThis, "localStorage", saved);
      else delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it("export shows what is stored; clear forgets everything, including values set aside", () => {
    const storage = fakeStorage();
    storage.setItem("pocketrec:history", "garbage");
    storage.setItem("unrelated", "keep me");
    const h = new History({ storage, onProblem: () => {}, now });
    h.add({ item: "mug", event: "purchase" });
    assert.deepEqual(JSON.parse(h.export()), { v: HISTORY_VERSION, events: [{ item: "mug", event: "purchase", timestamp: 1_700_000_000 }] });
    const seen: number[] = [];
    h.subscribe((events) => seen.push(events.length));
    h.clear();
    assert.deepEqual(h.events(), []);
    assert.deepEqual([...storage.values.keys()], ["unrelated"]);
    assert.deepEqual(seen, [0]);
  });

  it("refuses an event without an item", () => {
    const h = new History({ storage: fakeStorage(), now });
    assert.throws(() => h.add({ item: "" }), /non-empty string "item"/);
  });
});
