import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ticks } from "../../src/chart.js";

describe("chart axis", () => {
  it("covers the data with round steps of 1, 2 or 5 × 10^k", () => {
    assert.deepEqual(ticks(0, 392), [0, 100, 200, 300, 400]);
    assert.deepEqual(ticks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(ticks(-3, 7), [-4, -2, 0, 2, 4, 6, 8]);
    assert.deepEqual(ticks(5, 5), [5]);
  });
});
