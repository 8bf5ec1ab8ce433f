/**
 * What a card shows about an item, read from the shop's own catalogue
 * record, and a sentence for each explanation the engine gives.
 *
 * The engine (Rust) ranks; this module only picks display fields, so it
 * looks them up by the usual names. Everything here is plain data: the
 * widget puts it into the page with `textContent` and attributes, never as
 * HTML.
 */
import type { BlendWeights, Reason } from "../pkg/pocketrec.js";
import { PocketrecError } from "./error.js";

/** An item's display fields. Missing fields are absent. */
export interface ItemView {
  id: string;
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

const TITLE_FIELDS = ["title", "name"];
const IMAGE_FIELDS = ["image", "thumbnail", "images"];
const URL_FIELDS = ["url", "link"];
const CATEGORY_FIELDS = ["category", "categories", "genre", "genres"];
const STOCK_FIELDS = ["inStock", "in_stock", "available"];

function firstString(record: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    let value = record[name];
    if (Array.isArray(value)) value = value[0];
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number") return String(value);
  }
  return undefined;
}

/** The display fields of one catalogue record (`id` is required by the engine already). */
export function itemView(record: Record<string, unknown>): ItemView {
  const id = String(record.id);
  const view: ItemView = { id, title: firstString(record, TITLE_FIELDS) ?? id };
  const image = firstString(record, IMAGE_FIELDS);
  if (image) view.image = image;
  if (typeof record.price === "number" && Number.isFinite(record.price)) view.price = record.price;
  if (typeof record.currency === "string") view.currency = record.currency;
  const url = firstString(record, URL_FIELDS);
  if (url) view.url = url;
  const category = firstString(record, CATEGORY_FIELDS);
  if (category) view.category = category;
  for (const name of STOCK_FIELDS) {
    if (typeof record[name] === "boolean") view.inStock = record[name] as boolean;
  }
  return view;
}

/** `url` resolved against `base` when `base` is an absolute URL; otherwise as it is. */
function resolve(url: string, base: string | undefined): string {
  try {
    return base ? new URL(url, base).href : url;
  } catch {
    return url; // no absolute base (tests in Node), or not a URL: the widget checks it again
  }
}

/**
 * Display fields of every item of a catalogue JSON value (`{"items": [...]}`
 * or an array). Relative `image` and `url` values resolve against
 * `catalogueUrl`, so a catalogue works from pages at any depth.
 */
export function catalogueViews(catalogue: unknown, catalogueUrl?: string): Map<string, ItemView> {
  const items = Array.isArray(catalogue) ? catalogue : (catalogue as { items?: unknown } | null)?.items;
  const views = new Map<string, ItemView>();
  if (!Array.isArray(items)) return views;
  for (const record of items) {
    if (typeof record === "object" && record !== null && "id" in record) {
      const view = itemView(record as Record<string, unknown>);
      if (view.image) view.image = resolve(view.image, catalogueUrl);
      if (view.url) view.url = resolve(view.url, catalogueUrl);
      views.set(view.id, view);
    }
  }
  return views;
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
 * One sentence for a reason. `title` gives an item's title from its id
 * (the reasons name items by id).
 *
 * | kind | sentence |
 * |---|---|
 * | sharedFeature (category-like) | `Also in Kitchen` / `Also by Acme` / `Also tagged waterproof` |
 * | sharedFeature (text) | `Also mentions "ceramic"` |
 * | sharedFeature (price) | `Similar price` |
 * | alsoInteracted | `Often bought with Blue mug` |
 * | chosenAfter | `Often chosen after Blue mug` |
 * | similarShoppers | `Chosen by 12 shoppers like you` |
 * | popular | `Popular right now` |
 */
export function reasonText(reason: Reason, title: (id: string) => string): string {
  switch (reason.kind) {
    case "sharedFeature":
      return featureText(reason.field, reason.value);
    case "alsoInteracted":
      return `Often bought with ${title(reason.item)}`;
    case "chosenAfter":
      return `Often chosen after ${title(reason.item)}`;
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
