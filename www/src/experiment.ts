/**
 * A/B assignment on the shopper's device: which variant of an experiment
 * this browser sees (`Engine.variant`, the `<pocket-recs>` `experiment`
 * attribute).
 *
 * - **Random**: the first draw uses the browser's cryptographic generator
 *   (`crypto.getRandomValues`, through the wasm module's `randomBytes`,
 *   i.e. getrandom's `wasm_js` backend). Six random bytes give
 *   `u = x / 2⁴⁸` in [0, 1); the variant is the first whose cumulative
 *   weight exceeds `u · Σw` (uniform over the names when no weights are given).
 * - **Stable**: the assignment is stored in the shopper's `History` (same
 *   storage, same value) and returned on every later call and page load.
 * - **Erased with the history**: `History.clear()` forgets it; the next call
 *   draws again.
 * - **Changed variants**: a stored variant that is still offered (in the
 *   list, or with a weight > 0) is kept, even when weights change (a shopper
 *   never moves between variants that both still run); one that is no
 *   longer offered is drawn again among the current ones and replaced.
 *
 * pocketrec sends nothing anywhere: the page reads the variant (the
 * returned string, the element's `data-variant`, its `pocketrec-variant`
 * event) into its own analytics, if it has any.
 */
import { PocketrecError } from "./error.js";
import type { History } from "./history.js";
import { MAX_VARIANTS } from "./history.js";

/**
 * The variants of an experiment: names (drawn uniformly), or names with
 * relative weights (each finite and ≥ 0, at least one > 0; `{a: 9, b: 1}`
 * puts one shopper in ten in `b`).
 */
export type Variants = readonly string[] | Readonly<Record<string, number>>;

/** The longest experiment or variant name accepted, in UTF-16 units. */
export const MAX_NAME_LENGTH = 100;

/** Most variants in one experiment. */
export const MAX_VARIANTS_PER_EXPERIMENT = 100;

/** Random bytes per draw: 48 bits, so the bias of `u · Σw` is below 2⁻⁴⁰ for any weights. */
const DRAW_BYTES = 6;

function invalid(message: string): PocketrecError {
  return new PocketrecError(`variant: ${message}`, "invalid_value");
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_NAME_LENGTH) {
    throw invalid(`${what} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/**
 * Checks an experiment's arguments; returns the variant names with their
 * weights (1 each for a list).
 *
 * @throws PocketrecError (`invalid_value`) saying which argument, what arrived and what is accepted.
 */
export function checkVariants(name: unknown, variants: unknown): { name: string; names: string[]; weights: number[] } {
  checkName(name, "the experiment name");
  let entries: [unknown, unknown][];
  if (Array.isArray(variants)) {
    entries = variants.map((v) => [v, 1]);
  } else if (typeof variants === "object" && variants !== null) {
    entries = Object.entries(variants);
  } else {
    throw invalid(`variants must be an array of names or an object of name → weight, got ${JSON.stringify(variants) ?? String(variants)}`);
  }
  if (entries.length === 0 || entries.length > MAX_VARIANTS_PER_EXPERIMENT) {
    throw invalid(`variants must name 1 to ${MAX_VARIANTS_PER_EXPERIMENT} variants, got ${entries.length}`);
  }
  const names: string[] = [];
  const weights: number[] = [];
  for (const [variant, weight] of entries) {
    const checked = checkName(variant, "each variant");
    if (names.includes(checked)) throw invalid(`variant "${checked}" is named twice`);
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
      throw invalid(`the weight of variant "${checked}" must be a finite number ≥ 0, got ${JSON.stringify(weight) ?? String(weight)}`);
    }
    names.push(checked);
    weights.push(weight);
  }
  if (!weights.some((w) => w > 0)) throw invalid("at least one variant needs a weight > 0");
  return { name: name as string, names, weights };
}

/**
 * The index drawn from `weights` (at least one > 0) by `bytes` (at least
 * six): `u = (first 48 bits, big-endian) / 2⁴⁸`, then the first index whose
 * cumulative weight exceeds `u · Σw`. Never an index of weight 0.
 */
export function drawIndex(weights: readonly number[], bytes: Uint8Array): number {
  let x = 0;
  for (let i = 0; i < DRAW_BYTES; i++) x = x * 256 + (bytes[i] ?? 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const target = (x / 2 ** 48) * total;
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]!;
    if (weights[i]! > 0 && target < cumulative) return i;
  }
  // Rounding at the very top: the last variant with a weight.
  let last = weights.length - 1;
  while (last > 0 && !(weights[last]! > 0)) last--;
  return last;
}

/**
 * This browser's variant of experiment `name` (see the module docs):
 * the one stored in `history` if it is still offered, else one drawn with
 * `random` (which gives `n` cryptographically random bytes) and stored.
 *
 * @throws PocketrecError `invalid_value` for bad arguments; `limit_exceeded`
 * when the history already holds `MAX_VARIANTS` other experiments.
 */
export async function assignVariant(history: History, name: string, variants: Variants, random: (n: number) => Promise<Uint8Array>): Promise<string> {
  const checked = checkVariants(name, variants);
  const stored = history.variant(checked.name);
  const at = stored === undefined ? -1 : checked.names.indexOf(stored);
  if (stored !== undefined && at >= 0 && checked.weights[at]! > 0) return stored;
  if (stored === undefined && Object.keys(history.variants()).length >= MAX_VARIANTS) {
    throw new PocketrecError(`variant: at most ${MAX_VARIANTS} experiments are kept per browser; "${checked.name}" would be one more`, "limit_exceeded");
  }
  const chosen = checked.names[drawIndex(checked.weights, await random(DRAW_BYTES))]!;
  history.setVariant(checked.name, chosen);
  return chosen;
}
