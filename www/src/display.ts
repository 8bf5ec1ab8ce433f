/**
 * What a card shows about an item and a sentence for each explanation the
 * engine gives, plus the result types of queries.
 *
 * The engine (Rust) ranks and picks each item's display fields from its
 * catalogue record (title, image, price, …); this module only resolves the
 * catalogue's relative links and words the reasons. Everything here is
 * plain data: the widget puts it into the page with `textContent` and
 * attributes, never as HTML.
 */
import type { BlendWeights, Reason as WasmReason } from "../pkg/pocketrec.js";
import { PocketrecError } from "./error.js";

/**
 * An item's display fields, as the engine reads them from its catalogue
 * record. Missing fields are absent.
 */
export interface ItemView {
  id: string;
  /** Field `title` or `name`; the id when there is none. */
  title: string;
  /** Image URL (field `image`, `thumbnail`, or the first of `images`). */
  image?: string;
  /** Price as a number (field `price`). */
  price?: number;
  /** Currency code (field `currency`), for formatting the price. */
  currency?: string;
  /** Link to the item's page (field `url` or `link`). */
  url?: string;
  /** First category (field `category`, `categories`, `genre`). */
  category?: string;
  /** `false` when the catalogue says it is out of stock (`inStock`, `in_stock`, `available`). */
  inStock?: boolean;
}

/** A reason that names an item also carries that item's title (its id when it has none). */
type Titled<R> = R extends { item: string } ? R & { title: string } : R;

/** Why a result was given. `alsoInteracted`, `chosenAfter` and `becauseYouChose` name an item by `item` (id) and `title`. */
export type Reason = Titled<WasmReason>;

/** One result of a query: the item id, its score, why, and the item's display fields. */
export interface Result {
  id: string;
  score: number;
  reasons: Reason[];
  item: ItemView;
}

/** `url` resolved against `base` when `base` is an absolute URL; otherwise as it is. */
function resolve(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url; // no absolute base (tests in Node), or not a URL: the widget checks it again
  }
}

/**
 * `view` with a relative `image` and `url` resolved against `catalogueUrl`
 * (the engine gives them as the catalogue has them), so a catalogue works
 * from pages at any depth.
 */
export function resolveView(view: ItemView, catalogueUrl: string): ItemView {
  const resolved = { ...view };
  if (resolved.image) resolved.image = resolve(resolved.image, catalogueUrl);
  if (resolved.url) resolved.url = resolve(resolved.url, catalogueUrl);
  return resolved;
}

/** The price as the shopper's locale writes it (two decimals when there is no currency). */
export function formatPrice(price: number, currency?: string, locale?: string): string {
  try {
    if (currency) return new Intl.NumberFormat(locale, { style: "currency", currency }).format(price);
  } catch {
    // An unknown currency code: fall through to a plain number.
  }
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(price);
}

/**
 * One sentence for a reason; items it names are named by their title.
 *
 * | kind | sentence |
 * |---|---|
 * | sharedFeature (category-like) | `Also in Kitchen` / `Also by Acme` / `Also tagged waterproof` |
 * | sharedFeature (text) | `Also mentions "ceramic"` |
 * | sharedFeature (price) | `Similar price` |
 * | alsoInteracted | `Often bought with Blue mug` |
 * | chosenAfter | `Often chosen after Blue mug` |
 * | becauseYouChose | `Because you viewed Blue mug` |
 * | similarShoppers | `Chosen by 12 shoppers like you` |
 * | popular | `Popular right now` |
 */
export function reasonText(reason: Reason): string {
  switch (reason.kind) {
    case "sharedFeature":
      return featureText(reason.field, reason.value);
    case "alsoInteracted":
      return `Often bought with ${reason.title}`;
    case "chosenAfter":
      return `Often chosen after ${reason.title}`;
    case "becauseYouChose":
      return `Because you viewed ${reason.title}`;
    case "similarShoppers":
      return reason.count === 1 ? "Chosen by a shopper like you" : `Chosen by ${reason.count} shoppers like you`;
    case "popular":
      return "Popular right now";
  }
}

function featureText(field: string, value: string): string {
  switch (field) {
    case "category":
    case "categories":
    case "genre":
    case "genres":
      return `Also in ${value}`;
    case "brand":
      return `Also by ${value}`;
    case "tags":
      return `Also tagged ${value}`;
    case "price":
      return "Similar price";
    default:
      // Text fields give a matched term; other numeric fields a bucket.
      return /^[\d.,\s–-]+$/.test(value) ? `Similar ${field}` : `Also mentions “${value}”`;
  }
}

/** Reads `itemKnn:1, content:0.6` or a JSON object into blend weights. */
export function parseWeights(text: string): BlendWeights {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return JSON.parse(trimmed) as BlendWeights;
  const weights: Record<string, number> = {};
  for (const part of trimmed.split(/[,;]/)) {
    if (!part.trim()) continue;
    const [name, value] = part.split(/[:=]/).map((s) => s.trim());
    const number = Number(value);
    if (!name || value === undefined || value === "" || !Number.isFinite(number)) {
      throw new PocketrecError(`weights: "${part.trim()}" is not of the form name:number (e.g. "itemKnn:1, content:0.6")`, "invalid_value");
    }
    weights[name] = number;
  }
  return weights as BlendWeights;
}

/** A link target from the catalogue, only if it is http(s) (or relative); never `javascript:`. */
export function safeUrl(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === "http:" || resolved.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `k` of `results` (most popular first), taking each category's best in
 * turn: the first of every category, in the order they appear, then the
 * second of every category, and so on. A personal strip's cold start
 * (`<pocket-recs cold-start="explore">`) shows such a sample of the shop.
 */
export function byCategoryInTurn(results: readonly Result[], k: number): Result[] {
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const key = r.item.category ?? "";
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const out: Result[] = [];
  for (let round = 0; out.length < k && out.length < results.length; round++) {
    for (const group of groups.values()) {
      const next = group[round];
      if (next && out.length < k) out.push(next);
    }
  }
  return out;
}
