/**
 * xxHash64 (seed 0), as the model index format uses it to put ids into
 * the buckets of its id directory (`src/index/format.md`), so a page can
 * fetch its product's bucket with the manifest instead of a round later.
 * Written here because it is 40 lines over BigInt and no npm package is
 * worth its bytes for one call per page. Constants and steps are those of
 * the xxHash specification.
 */
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const rotl = (x: bigint, r: bigint): bigint => u64((x << r) | (x >> (64n - r)));
const round = (acc: bigint, input: bigint): bigint => u64(rotl(u64(acc + u64(input * P2)), 31n) * P1);
const merge = (acc: bigint, v: bigint): bigint => u64(u64((acc ^ round(0n, v)) * P1) + P4);

/** The xxHash64 of `bytes`, seed 0. */
export function xxh64(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let at = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = u64(P1 + P2);
    let v2 = P2;
    let v3 = 0n;
    let v4 = u64(-P1);
    for (; at + 32 <= n; at += 32) {
      v1 = round(v1, view.getBigUint64(at, true));
      v2 = round(v2, view.getBigUint64(at + 8, true));
      v3 = round(v3, view.getBigUint64(at + 16, true));
      v4 = round(v4, view.getBigUint64(at + 24, true));
    }
    h = u64(rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n));
    for (const v of [v1, v2, v3, v4]) h = merge(h, v);
  } else {
    h = P5;
  }
  h = u64(h + BigInt(n));
  for (; at + 8 <= n; at += 8) h = u64(u64(rotl(h ^ round(0n, view.getBigUint64(at, true)), 27n) * P1) + P4);
  if (at + 4 <= n) {
    h = u64(u64(rotl(h ^ u64(BigInt(view.getUint32(at, true)) * P1), 23n) * P2) + P3);
    at += 4;
  }
  for (; at < n; at++) h = u64(rotl(h ^ u64(BigInt(bytes[at] as number) * P5), 11n) * P1);
  h = u64((h ^ (h >> 33n)) * P2);
  h = u64((h ^ (h >> 29n)) * P3);
  return h ^ (h >> 32n);
}

/** The id directory's bucket of `id`: xxh64 of its trimmed UTF-8 bytes, modulo `buckets`. */
export function bucketOf(id: string, buckets: number): number {
  return Number(xxh64(new TextEncoder().encode(id.trim())) % BigInt(Math.max(1, buckets)));
}
