/**
 * The demo shop's data, made by the project: a catalogue of a few hundred
 * products and an interaction log from simulated shopping sessions. Seeded,
 * so the same seed always gives the same shop (tests and screenshots rely
 * on it). No third-party data is used.
 *
 * Products: 8 departments of 5 types each (headphones, teapot, chef
 * knife…); a product's adjectives and tags are its type's, its colour one
 * of eight, and pictures.ts draws its picture from type, colour and brand.
 *
 * Sessions: each shopper favours one or two departments, browses mostly
 * there, sometimes follows a product with its natural companion (teapot →
 * tea, headphones → case), and carts or buys a share of what they view.
 * That gives item-kNN co-occurrences, an order for the sequential model and
 * popular items for the cold start.
 */

/** A catalogue product, in the shape pocketrec reads. */
export interface Product {
  id: string;
  title: string;
  description: string;
  category: string;
  brand: string;
  tags: string[];
  price: number;
  /** ISO 4217 code; the widget formats prices with it. */
  currency: string;
  inStock: boolean;
  /** Picture, relative to the catalogue: `img/<id>.svg`, or `img/<type>-<colour>.svg` for a shop with one picture per type and colour (see `DemoOptions.pictures` and pictures.ts). */
  image: string;
}

export interface DemoShop {
  catalogue: { items: Product[] };
  /** CSV with header `user,item,event,timestamp`. */
  interactions: string;
}

export interface DemoOptions {
  /** Seed of the generator. Default 7. */
  seed?: number;
  /** Products per department. Default 40 (320 in all). */
  perDepartment?: number;
  /** Shoppers. Default 400. */
  shoppers?: number;
  /** Time of the first event, seconds since 1970. Default 2026-09-01. */
  start?: number;
  /**
   * Which picture each product points at: `product` (default), its own
   * `img/<id>.svg`; `type`, one shared per type and colour,
   * `img/<type>-<colour>.svg` (320 files at most, for a big shop).
   */
  pictures?: "product" | "type";
}

/** mulberry32: a small, well-known 32-bit generator; plenty for demo data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A product type, the noun of its products' titles. Its adjectives and tags
 * are written for it, so none contradicts the noun (no "caffeine free"
 * teapot) and no two of its tags contradict each other.
 */
export interface ProductType {
  noun: string;
  /** How a description counts it: `one` ("an everyday teapot", the default), `pair` ("a pair of …"), `set` ("a set of …") or `mass` (no article: "jasmine green tea"). */
  count?: "one" | "pair" | "set" | "mass";
  adjectives: readonly string[];
  tags: readonly string[];
  /** Chinese names, used for a share of the products (see `isChinese`). */
  chinese?: readonly string[];
  /** The part the colour is, when it is not the whole thing: "tin" (a red tin of tea), "cover" (a book). */
  colourOn?: string;
}

interface Department {
  name: string;
  /** Five types, in a fixed order: product i of a department is a `types[i % 5]`. */
  types: readonly ProductType[];
  brands: readonly string[];
  price: [number, number];
  /** Nouns with a natural companion in another type (of any department). */
  companions?: Record<string, string>;
}

const DEPARTMENTS: Department[] = [
  {
    name: "audio",
    types: [
      { noun: "headphones", count: "pair", adjectives: ["over-ear", "studio", "foldable", "everyday", "classic", "premium", "lightweight", "retro"], tags: ["wireless", "bluetooth", "noise cancelling", "hi-fi", "long battery life"], chinese: ["无线蓝牙耳机", "降噪耳机"] },
      { noun: "earbuds", count: "pair", adjectives: ["true wireless", "sport", "compact", "everyday", "premium", "in-ear", "classic", "mini"], tags: ["wireless", "bluetooth", "noise cancelling", "sweat resistant", "charging case"], chinese: ["蓝牙耳塞", "真无线蓝牙耳机"] },
      { noun: "speaker", adjectives: ["portable", "compact", "outdoor", "bookshelf", "smart", "mini", "everyday", "retro"], tags: ["bluetooth", "wireless", "waterproof", "hi-fi", "long battery life"], chinese: ["蓝牙音箱", "便携蓝牙音箱"] },
      { noun: "headphone case", adjectives: ["hard-shell", "zip", "travel", "slim", "padded", "compact", "everyday", "classic"], tags: ["protective", "zip pocket", "water resistant", "lightweight", "portable"], chinese: ["耳机收纳包"] },
      { noun: "turntable", adjectives: ["belt-drive", "direct-drive", "retro", "compact", "classic", "premium", "two-speed", "entry-level"], tags: ["vinyl", "hi-fi", "bluetooth", "built-in preamp", "USB"], chinese: ["黑胶唱片机"] },
    ],
    brands: ["Sonic", "Aurel", "Basso"],
    price: [19, 349],
    companions: { headphones: "headphone case" },
  },
  {
    name: "tea",
    types: [
      { noun: "green tea", count: "mass", colourOn: "tin", adjectives: ["sencha", "jasmine", "first-flush", "everyday", "gunpowder", "mint", "spring", "premium"], tags: ["organic", "loose leaf", "fair trade", "gift", "100 g"], chinese: ["绿茶", "龙井绿茶"] },
      { noun: "oolong tea", count: "mass", colourOn: "tin", adjectives: ["roasted", "milk", "high-mountain", "everyday", "premium", "Tieguanyin", "honey", "classic"], tags: ["organic", "loose leaf", "fair trade", "gift", "rolled leaf"], chinese: ["乌龙茶", "铁观音乌龙茶"] },
      { noun: "teapot", adjectives: ["everyday", "classic", "round", "Japanese", "small", "large", "glazed", "two-cup"], tags: ["ceramic", "gift", "infuser", "dishwasher safe", "heat resistant"], chinese: ["紫砂茶壶", "陶瓷茶壶"] },
      { noun: "tea cups", count: "set", adjectives: ["tall", "stackable", "classic", "glazed", "small", "everyday", "matching", "large"], tags: ["ceramic", "gift", "dishwasher safe", "set of four", "microwave safe"], chinese: ["陶瓷茶杯", "功夫茶杯"] },
      { noun: "tea strainer", adjectives: ["fine-mesh", "folding", "classic", "compact", "everyday", "over-cup", "travel", "deluxe"], tags: ["stainless steel", "dishwasher safe", "loose leaf", "gift", "reusable"], chinese: ["不锈钢茶滤"] },
    ],
    brands: ["Leafy", "Jade Hill", "Kettle & Co"],
    price: [4, 89],
    companions: { teapot: "tea cups", "green tea": "teapot" },
  },
  {
    name: "kitchen",
    types: [
      { noun: "chef knife", adjectives: ["20 cm", "Japanese", "forged", "classic", "professional", "everyday", "balanced", "full-tang"], tags: ["high-carbon steel", "razor sharp", "gift box", "hand wash", "ergonomic handle"] },
      { noun: "cutting board", adjectives: ["large", "end-grain", "reversible", "compact", "classic", "everyday", "thick", "serving"], tags: ["juice groove", "non-slip", "dishwasher safe", "knife friendly", "hanging hole"] },
      { noun: "frying pan", adjectives: ["24 cm", "28 cm", "deep", "classic", "everyday", "professional", "induction", "lightweight"], tags: ["non-stick", "induction ready", "oven safe", "dishwasher safe", "PFAS free"] },
      { noun: "saucepan", adjectives: ["16 cm", "20 cm", "classic", "everyday", "professional", "small", "lidded", "heavy"], tags: ["enamelled", "induction ready", "oven safe", "pouring lip", "glass lid"] },
      { noun: "spatula", adjectives: ["slotted", "flexible", "fish", "wide", "classic", "everyday", "angled", "mini"], tags: ["heat resistant", "non-scratch", "dishwasher safe", "silicone", "one piece"] },
    ],
    brands: ["Forge", "Cucina", "Oak & Iron"],
    price: [9, 199],
    companions: { "chef knife": "cutting board", "frying pan": "spatula" },
  },
  {
    name: "home",
    types: [
      { noun: "desk lamp", adjectives: ["adjustable", "LED", "classic", "compact", "architect", "minimalist", "industrial", "swing-arm"], tags: ["dimmable", "warm light", "USB charging", "energy saving", "touch switch"] },
      { noun: "floor lamp", adjectives: ["modern", "Scandinavian", "reading", "classic", "minimalist", "industrial", "slim", "tall"], tags: ["dimmable", "warm light", "foot switch", "energy saving", "linen shade"] },
      { noun: "throw blanket", adjectives: ["chunky knit", "waffle", "oversized", "cosy", "classic", "herringbone", "soft", "lightweight"], tags: ["wool", "handmade", "machine washable", "fringed", "gift"] },
      { noun: "cushion", adjectives: ["square", "velvet", "scatter", "oversized", "classic", "embroidered", "soft", "boho"], tags: ["feather filled", "removable cover", "machine washable", "handmade", "cosy"] },
      { noun: "wall clock", adjectives: ["silent", "round", "minimalist", "classic", "oversized", "industrial", "retro", "kitchen"], tags: ["silent movement", "battery powered", "large numbers", "handmade", "easy to read"] },
    ],
    brands: ["Lumo", "Nest", "Hygge"],
    price: [15, 249],
    companions: { cushion: "throw blanket" },
  },
  {
    name: "outdoor",
    types: [
      { noun: "hiking boots", count: "pair", adjectives: ["mid-cut", "lightweight", "leather", "all-season", "trail", "classic", "winter", "approach"], tags: ["waterproof", "breathable", "grippy sole", "durable", "ankle support"] },
      { noun: "rain jacket", adjectives: ["packable", "lightweight", "hooded", "three-layer", "classic", "hardshell", "everyday", "long"], tags: ["waterproof", "breathable", "recycled", "taped seams", "windproof"] },
      { noun: "water bottle", adjectives: ["insulated", "750 ml", "1 litre", "wide-mouth", "classic", "everyday", "sport", "slim"], tags: ["BPA free", "leak-proof", "stainless steel", "keeps drinks cold", "recycled"] },
      { noun: "backpack", adjectives: ["25 litre", "hiking", "everyday", "classic", "roll-top", "ultralight", "35 litre", "commuter"], tags: ["water resistant", "padded straps", "recycled", "laptop sleeve", "rain cover"] },
      { noun: "trekking poles", count: "pair", adjectives: ["folding", "carbon", "telescopic", "aluminium", "classic", "compact", "all-season", "trail"], tags: ["lightweight", "cork grips", "adjustable", "shock absorbing", "durable"] },
    ],
    brands: ["Summit", "Trailhead", "Nordwind"],
    price: [12, 299],
    companions: { "hiking boots": "trekking poles", backpack: "water bottle" },
  },
  {
    name: "books",
    types: [
      { noun: "cookbook", colourOn: "cover", adjectives: ["vegetarian", "baking", "weeknight", "Italian", "one-pot", "family", "seasonal", "street food"], tags: ["hardcover", "illustrated", "bestseller", "gift", "step by step"] },
      { noun: "travel guide", colourOn: "cover", adjectives: ["pocket", "city", "walking", "island", "mountain", "weekend", "rail", "coastal"], tags: ["paperback", "maps", "updated edition", "bestseller", "illustrated"] },
      { noun: "novel", colourOn: "cover", adjectives: ["crime", "historical", "debut", "literary", "mystery", "award-winning", "epic", "comic"], tags: ["paperback", "bestseller", "gift", "book club pick", "large print"] },
      { noun: "field guide", colourOn: "cover", adjectives: ["bird", "tree", "wildflower", "mushroom", "insect", "seashore", "night sky", "pocket"], tags: ["illustrated", "paperback", "waterproof cover", "gift", "maps"] },
      { noun: "notebook", colourOn: "cover", adjectives: ["dotted", "lined", "plain", "squared", "pocket", "A5", "weekly", "bullet"], tags: ["recycled paper", "lay-flat", "numbered pages", "gift", "elastic closure"] },
    ],
    brands: ["Inkwell", "Paper Crane", "Atlas"],
    price: [6, 45],
    companions: { cookbook: "notebook" },
  },
  {
    name: "fitness",
    types: [
      { noun: "yoga mat", adjectives: ["6 mm", "travel", "extra-long", "classic", "cushioned", "everyday", "grippy", "wide"], tags: ["non-slip", "eco", "home workout", "carry strap", "beginner"] },
      { noun: "dumbbells", count: "pair", adjectives: ["2 kg", "5 kg", "8 kg", "hex", "neoprene", "classic", "compact", "coated"], tags: ["home workout", "non-slip grip", "beginner", "rubber coated", "strength"] },
      { noun: "resistance bands", count: "set", adjectives: ["loop", "fabric", "long", "light", "heavy", "classic", "mini", "pilates"], tags: ["home workout", "beginner", "five levels", "carry bag", "eco"] },
      { noun: "foam roller", adjectives: ["textured", "smooth", "firm", "soft", "short", "classic", "vibrating", "everyday"], tags: ["recovery", "home workout", "eco", "beginner", "high density"] },
      { noun: "skipping rope", adjectives: ["speed", "weighted", "beaded", "adjustable", "classic", "tangle-free", "everyday", "boxing"], tags: ["home workout", "ball bearings", "beginner", "foam handles", "cardio"] },
    ],
    brands: ["Core", "Pulse", "Zen Motion"],
    price: [8, 159],
    companions: { "yoga mat": "foam roller" },
  },
  {
    name: "stationery",
    types: [
      { noun: "fountain pen", adjectives: ["fine-nib", "medium-nib", "classic", "pocket", "demonstrator", "everyday", "calligraphy", "italic-nib"], tags: ["refillable", "gift", "converter included", "office", "smooth nib"] },
      { noun: "ink bottle", adjectives: ["50 ml", "30 ml", "classic", "archival", "shimmer", "quick-dry", "everyday", "calligraphy"], tags: ["water based", "gift", "artist", "waterproof", "fountain pen safe"] },
      { noun: "sketchbook", colourOn: "cover", adjectives: ["A4", "A5", "square", "spiral", "pocket", "landscape", "mixed media", "classic"], tags: ["artist", "recycled paper", "heavyweight paper", "acid free", "gift"] },
      { noun: "pencil set", colourOn: "tin", adjectives: ["soft-lead", "colouring", "sketching", "watercolour", "classic", "HB", "drawing", "travel"], tags: ["artist", "gift", "pre-sharpened", "tin case", "office"] },
      { noun: "desk organiser", adjectives: ["three-tier", "rotating", "compact", "classic", "minimalist", "mesh", "modular", "drawer"], tags: ["office", "recycled", "five compartments", "non-slip base", "gift"] },
    ],
    brands: ["Quill", "Graphite", "Studio"],
    price: [3, 120],
    companions: { "fountain pen": "ink bottle" },
  },
];

/** The colours a product comes in; one of them is always among its tags. */
export const COLOURS: readonly string[] = ["black", "white", "blue", "green", "red", "grey", "sand", "olive"];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

/**
 * The phrase with its indefinite article, by how it sounds: "an everyday",
 * "an olive", "an LED", "an 8 kg", "an A5", "an hour"; but "a USB",
 * "a one-pot", "a unique", "a 20 cm".
 */
export function withArticle(phrase: string): string {
  const an = /^[A-Z](?:[A-Z\d]|\b)/.test(phrase)
    ? /^[AEFHILMNORSX]/.test(phrase) // spelt out: "an L-E-D", "a U-S-B"
    : /^\d/.test(phrase)
      ? /^(?:8|1[18](?!\d))/.test(phrase) // "eight", "eleven", "eighteen"
      : /^(?:hour|honest|honou?r|heir)/i.test(phrase) || (/^[aeiou]/i.test(phrase) && !/^(?:one|once|uni|use|usu|uti|eu|ur[ai])/i.test(phrase));
  return `${an ? "an" : "a"} ${phrase}`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "An everyday teapot", "A pair of trail hiking boots", "Jasmine green tea". */
function described(type: ProductType, adjective: string): string {
  const phrase = `${adjective} ${type.noun}`;
  switch (type.count ?? "one") {
    case "pair":
      return `A pair of ${phrase}`;
    case "set":
      return `A set of ${phrase}`;
    case "mass":
      return capitalise(phrase);
    default:
      return capitalise(withArticle(phrase));
  }
}

/**
 * Whether product `i` of a department is named in Chinese: one in five,
 * rotating over the five types so each type gets its share (a Chinese title
 * names the product's own type, so it matches its picture).
 */
function isChinese(i: number): boolean {
  return (i + Math.floor(i / 5)) % 5 === 4;
}

/** A product's type, colour and brand, as the generator chose them (and as its picture shows them). */
export interface ProductKind {
  department: string;
  type: ProductType;
  colour: string;
  brand: string;
  /** The brand's place among its department's three (its badge's shape). */
  brandIndex: number;
}

/**
 * What a generated product is, read back from its fields: the type from
 * its number (product i of a department is a `types[i % 5]`), the colour
 * from its tags. Undefined for a product the generator did not make.
 */
export function productKind(product: Product): ProductKind | undefined {
  const d = DEPARTMENTS.find((x) => x.name === product.category);
  const number = /-(\d+)$/.exec(product.id);
  const colour = product.tags.find((t) => COLOURS.includes(t));
  if (!d || !number || !colour) return undefined;
  const type = d.types[(Number(number[1]) - 1) % d.types.length] as ProductType;
  return { department: d.name, type, colour, brand: product.brand, brandIndex: Math.max(0, d.brands.indexOf(product.brand)) };
}

/** Every product type, department by department, in catalogue order. */
export const PRODUCT_TYPES: readonly ProductType[] = DEPARTMENTS.flatMap((d) => d.types);

/**
 * Draws one product's fields. The random numbers drawn per product are
 * the same as before types had their own words (brand, colour, adjective,
 * a Chinese name for one in five, two tags, price, stock), so the rest of
 * the seeded stream is unchanged. `taken` holds the type, brand and colour
 * of the products so far: a repeat steps to the next free colour, so in a
 * shop of up to 24 products per type no two share a picture.
 */
function product(r: () => number, d: Department, i: number, taken: Set<string>, pictures: DemoOptions["pictures"]): Product {
  const type = d.types[i % d.types.length] as ProductType;
  const id = `${d.name}-${String(i + 1).padStart(3, "0")}`;
  const brand = pick(r, d.brands);
  const first = Math.floor(r() * COLOURS.length);
  let colour = COLOURS[first] as string;
  for (let step = 0; step < COLOURS.length; step++) {
    const candidate = COLOURS[(first + step) % COLOURS.length] as string;
    if (!taken.has(`${type.noun}/${brand}/${candidate}`)) {
      colour = candidate;
      break;
    }
  }
  taken.add(`${type.noun}/${brand}/${colour}`);
  const adjective = pick(r, type.adjectives);
  const chinese = type.chinese && isChinese(i) ? pick(r, type.chinese) : undefined;
  const colourName = type.colourOn ? `${colour} ${type.colourOn}` : colour;
  const title = chinese ? `${chinese} ${brand}` : `${brand} ${adjective} ${type.noun}, ${colourName}`;
  const tags = [...new Set([pick(r, type.tags), pick(r, type.tags), colour])];
  const [lo, hi] = d.price;
  // Log-uniform prices, rounded to .99 or .49.
  const price = Math.max(1, Math.round(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))))) - (r() < 0.5 ? 0.01 : 0.51);
  const where = type.colourOn ? `, ${type.colourOn === "cover" ? "with" : "in"} ${withArticle(colourName)}` : ` in ${colour}`;
  const features = tags.filter((t) => t !== colour);
  return {
    id,
    title,
    description: `${described(type, adjective)} by ${brand}${where}. ${capitalise(features.join(", "))}; from our ${d.name} range.`,
    category: d.name,
    brand,
    tags,
    price: Math.round(price * 100) / 100,
    currency: "EUR",
    inStock: r() > 0.1,
    image: pictures === "type" ? `img/${pictureName(type.noun, colour)}.svg` : `img/${id}.svg`,
  };
}

/** The file name (no extension) of a type's picture in a colour: `hiking-boots-red`. */
export function pictureName(noun: string, colour: string): string {
  return `${noun.replaceAll(" ", "-")}-${colour}`;
}

function products(r: () => number, perDepartment: number, pictures: DemoOptions["pictures"]): { items: Product[]; nouns: Map<string, string> } {
  const items: Product[] = [];
  const nouns = new Map<string, string>();
  const taken = new Set<string>();
  for (const d of DEPARTMENTS) {
    for (let i = 0; i < perDepartment; i++) {
      const p = product(r, d, i, taken, pictures);
      items.push(p);
      nouns.set(p.id, (d.types[i % d.types.length] as ProductType).noun);
    }
  }
  return { items, nouns };
}

/** Generates the demo shop. */
export function generateShop(options: DemoOptions = {}): DemoShop {
  const r = rng(options.seed ?? 7);
  const perDepartment = options.perDepartment ?? 40;
  const { items, nouns } = products(r, perDepartment, options.pictures ?? "product");
  const byDepartment = new Map<string, Product[]>();
  for (const p of items) byDepartment.set(p.category, [...(byDepartment.get(p.category) ?? []), p]);
  // Popularity within a department: earlier products are likelier (Zipf-like).
  const popularIn = (dept: string) => {
    const list = byDepartment.get(dept) ?? [];
    return list[Math.floor(list.length * Math.pow(r(), 2))] as Product;
  };
  // Companions by type, so a product with a Chinese title has them too.
  const byNoun = new Map<string, Product[]>();
  for (const p of items) {
    const noun = nouns.get(p.id) as string;
    byNoun.set(noun, [...(byNoun.get(noun) ?? []), p]);
  }
  const companionOf = (p: Product) => {
    const d = DEPARTMENTS.find((x) => x.name === p.category);
    const wanted = d?.companions?.[nouns.get(p.id) as string];
    const matches = wanted ? byNoun.get(wanted) : undefined;
    return matches?.length ? pick(r, matches) : undefined;
  };
  const lines = ["user,item,event,timestamp"];
  let clock = options.start ?? 1_788_220_800; // 2026-09-01T00:00:00Z
  for (let u = 0; u < (options.shoppers ?? 400); u++) {
    const favourites = [pick(r, DEPARTMENTS).name, pick(r, DEPARTMENTS).name];
    const sessions = 1 + Math.floor(r() * 3);
    for (let s = 0; s < sessions; s++) {
      clock += Math.floor(r() * 3 * 3600);
      let previous: Product | undefined;
      const views = 3 + Math.floor(r() * 6);
      for (let v = 0; v < views; v++) {
        const companion = previous && r() < 0.5 ? companionOf(previous) : undefined;
        const dept = r() < 0.8 ? pick(r, favourites) : pick(r, DEPARTMENTS).name;
        const product = companion ?? popularIn(dept);
        // At least 90 s: past the previous view's cart (+20 s) and purchase (+60 s).
        clock += 90 + Math.floor(r() * 300);
        lines.push(`shopper-${u},${product.id},view,${clock}`);
        const roll = r();
        if (roll < 0.25) lines.push(`shopper-${u},${product.id},cart,${clock + 20}`);
        if (roll < 0.1) lines.push(`shopper-${u},${product.id},purchase,${clock + 60}`);
        previous = product;
      }
    }
  }
  return { catalogue: { items }, interactions: lines.join("\n") + "\n" };
}

/** The departments' names, in catalogue order. */
export const DEPARTMENT_NAMES: readonly string[] = DEPARTMENTS.map((d) => d.name);

/** A product's monthly unit sales, for the shop-owner page. */
export interface SalesSeries {
  id: string;
  title: string;
  /** Units sold per month, oldest first. */
  values: number[];
  /** Months (indices into `values`) with a promotion. */
  promotions: number[];
  /** Units on hand now. */
  stock: number;
  /** `regular` or `intermittent` (a slow mover with many zero months). */
  kind: "regular" | "intermittent";
}

export interface SalesHistory {
  frequency: "monthly";
  /** First month, `YYYY-MM`. */
  start: string;
  seasonLength: 12;
  series: SalesSeries[];
}

/** Each department's yearly shape, January first (1 = an average month). */
const SEASONS: Record<string, number[]> = {
  audio: [0.8, 0.7, 0.8, 0.8, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 1.6, 2.0],
  tea: [1.3, 1.1, 1.0, 0.9, 0.8, 0.7, 0.7, 0.7, 0.9, 1.1, 1.3, 1.5],
  kitchen: [0.9, 0.8, 0.9, 0.9, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.2, 1.7],
  home: [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.3, 1.5, 1.7],
  outdoor: [0.5, 0.6, 0.9, 1.2, 1.5, 1.7, 1.7, 1.5, 1.0, 0.7, 0.5, 0.6],
  books: [0.8, 0.7, 0.8, 0.8, 0.9, 1.0, 1.1, 1.0, 1.2, 0.9, 1.1, 1.7],
  fitness: [2.0, 1.4, 1.1, 1.0, 1.0, 0.9, 0.8, 0.8, 0.9, 0.9, 0.8, 0.6],
  stationery: [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.4, 1.8, 1.0, 1.0, 1.3],
};

/** A Poisson draw: Knuth's product method for small means, a rounded normal above 30. */
function poisson(r: () => number, mean: number): number {
  if (mean > 30) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = r(); p > limit; p *= r()) k++;
  return k;
}

/**
 * Monthly sales of three products per department over `months` months
 * (default 48) ending last month: a level, a trend, the department's
 * yearly season, a few promotions (×1.5–2, with a dip after) and Poisson
 * noise; the third product of each department is a slow mover (under one
 * unit a month on average, so most months are zero).
 */
export function generateSales(shop: DemoShop, options: { seed?: number; months?: number; start?: string } = {}): SalesHistory {
  const r = rng(options.seed ?? 11);
  const months = options.months ?? 48;
  const start = options.start ?? "2022-11";
  const firstMonth = Number(start.slice(5, 7)) - 1;
  const series: SalesSeries[] = [];
  for (const department of DEPARTMENT_NAMES) {
    const products = shop.catalogue.items.filter((p) => p.category === department).slice(0, 3);
    products.forEach((product, rank) => {
      const intermittent = rank === 2;
      const season = SEASONS[department] ?? new Array<number>(12).fill(1);
      const level = intermittent ? 0.3 + r() * 0.5 : 30 + r() * 150;
      const growth = intermittent ? 0 : -0.01 + r() * 0.035;
      const promotions = intermittent ? [] : [...new Set(Array.from({ length: 3 }, () => 6 + Math.floor(r() * (months - 8))))].sort((a, b) => a - b);
      const values = Array.from({ length: months }, (_, t) => {
        const lift = promotions.includes(t) ? 1.5 + r() * 0.5 : promotions.includes(t - 1) ? 0.85 : 1;
        const seasonal = intermittent ? 1 : (season[(firstMonth + t) % 12] as number);
        return poisson(r, level * Math.pow(1 + growth, t) * seasonal * lift);
      });
      const recent = values.slice(-3).reduce((a, b) => a + b, 0) / 3;
      series.push({ id: product.id, title: product.title, values, promotions, stock: Math.round(recent * (0.5 + r() * 2.5)), kind: intermittent ? "intermittent" : "regular" });
    });
  }
  return { frequency: "monthly", start, seasonLength: 12, series };
}

/** The demo shop's made-up order log and stock, for the owner's desk. */
export interface DemoOrders {
  /** Invoice lines, `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country`
   * (the layout of a till's export); cancellations are `C` invoices with negative quantities. */
  orders: string;
  /** Units on hand now, `id,stock`. */
  stock: string;
}

/** Kinds of customer, so segments have something to find: share, orders a year, units per line, share that lapse. */
const CUSTOMER_KINDS = [
  { share: 0.1, ordersPerYear: 20, units: 6, lapse: 0.1 },
  { share: 0.3, ordersPerYear: 8, units: 2, lapse: 0.2 },
  { share: 0.35, ordersPerYear: 3, units: 1.5, lapse: 0.5 },
  { share: 0.25, ordersPerYear: 1, units: 1, lapse: 0 },
] as const;

const DAY_SECONDS = 86_400;

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A year and a half of invoice lines for the shop's products (`days`,
 * default 540, ending at `end`, default 2026-12-01): customers of four
 * kinds (big spenders, regulars, occasional and one-off buyers; some stop
 * buying halfway), baskets from one or two favourite departments, the
 * departments' yearly seasons, popular products likelier, 3% of lines
 * returned a few days later on a `C` invoice. Stock on hand is 0–6 weeks of
 * each product's recent sales, so some products need ordering now.
 * Seeded: the same seed gives the same log.
 */
export function generateOrders(items: readonly Product[], options: { seed?: number; customers?: number; days?: number; end?: number } = {}): DemoOrders {
  const r = rng(options.seed ?? 13);
  const days = options.days ?? 540;
  const end = options.end ?? 1_796_083_200; // 2026-12-01T00:00:00Z
  const start = end - days * DAY_SECONDS;
  const byDepartment = new Map<string, Product[]>();
  for (const p of items) byDepartment.set(p.category, [...(byDepartment.get(p.category) ?? []), p]);
  const departments = [...byDepartment.keys()];
  const orders: { time: number; lines: string[] }[] = [];
  let invoice = 500_000;
  const recent = new Map<string, number>();
  for (let c = 0; c < (options.customers ?? 1200); c++) {
    const roll = r();
    let cumulative = 0;
    const kind = CUSTOMER_KINDS.find((k) => (cumulative += k.share) > roll) ?? CUSTOMER_KINDS[3];
    const favourites = [pick(r, departments), pick(r, departments)];
    const first = start + Math.floor(r() * days * 0.6) * DAY_SECONDS;
    const last = r() < kind.lapse ? first + Math.floor(((end - first) / 2) * r()) : end;
    const count = Math.max(1, Math.round((kind.ordersPerYear * (last - first)) / (365 * DAY_SECONDS) * (0.6 + 0.8 * r())));
    for (let o = 0; o < (kind.ordersPerYear === 1 ? 1 : count); o++) {
      const time = first + Math.floor(r() * Math.max(1, (last - first) / DAY_SECONDS - 1)) * DAY_SECONDS + 8 * 3600 + Math.floor(r() * 10 * 3600);
      const month = new Date(time * 1000).getUTCMonth();
      const lines: string[] = [];
      const number = String(++invoice);
      for (let l = 0, n = 2 + Math.floor(r() * 6); l < n; l++) {
        const dept = r() < 0.85 ? pick(r, favourites) : pick(r, departments);
        // Seasons shift which departments a basket draws from.
        if (r() > (SEASONS[dept]?.[month] ?? 1) / 2) continue;
        const list = byDepartment.get(dept) ?? [];
        const product = list[Math.floor(list.length * Math.pow(r(), 2.5))];
        if (!product) continue;
        const quantity = Math.max(1, Math.round(kind.units * (0.5 + r())));
        const row = (inv: string, q: number, t: number) => [inv, product.id, csvField(product.title), String(q), isoTime(t), product.price.toFixed(2), `C${10000 + c}`, "Germany"].join(",");
        lines.push(row(number, quantity, time));
        if (time > end - 42 * DAY_SECONDS) recent.set(product.id, (recent.get(product.id) ?? 0) + quantity);
        if (r() < 0.03) {
          const back = time + (2 + Math.floor(r() * 10)) * DAY_SECONDS;
          if (back < end) orders.push({ time: back, lines: [row(`C${number}`, -quantity, back)] });
        }
      }
      if (lines.length) orders.push({ time, lines });
    }
  }
  orders.sort((a, b) => a.time - b.time);
  const header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
  const stock = items.map((p) => `${p.id},${Math.round((recent.get(p.id) ?? 0) * r())}`);
  return { orders: [header, ...orders.flatMap((o) => o.lines)].join("\n") + "\n", stock: ["id,stock", ...stock].join("\n") + "\n" };
}
