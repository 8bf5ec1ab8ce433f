/** xxHash64 in the shell against the Rust side's (xxhash-rust, the index builder's). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketOf, xxh64 } from "../../src/xxh64.js";

describe("xxh64", () => {
  it("gives the hashes xxhash-rust gives, short and long inputs", () => {
    const cases: [string, bigint][] = [
      ["", 0xef46db3751d8e999n],
      ["a", 0xd24ec4f1a98c6e5bn],
      ["abc", 0x44bc2cf5ad770999n],
      ["tea-003", 0x7a5a813f5833b595n],
      ["Nobody inspects the spammish repetition", 0xfbcea83c8a378bf1n],
      ["0123456789abcdef0123456789abcdef01234567", 0x02595bf45a790442n],
    ];
    for (const [text, hash] of cases) assert.equal(xxh64(new TextEncoder().encode(text)), hash, text);
  });

  it("puts a trimmed id into its bucket", () => {
    assert.equal(bucketOf(" tea-003 ", 7), Number(0x7a5a813f5833b595n % 7n));
    assert.equal(bucketOf("anything", 1), 0);
  });
});
