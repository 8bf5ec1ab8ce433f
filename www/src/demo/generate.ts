/**
 * The demo shop's data, made by the project: a catalogue of a few hundred
 * products and an interaction log from simulated shopping sessions. Seeded,
 * so the same seed always gives the same shop (tests and screenshots rely
 * on it). No third-party data is used.
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
  /** Picture, relative to the catalogue: `img/<department>.svg` (see `departmentImage`). */
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

interface Department {
  name: string;
  nouns: string[];
  brands: string[];
  tags: string[];
  price: [number, number];
  /** Chinese names, used for a share of the products. */
  chinese?: string[];
  /** Nouns with a natural companion in another department. */
  companions?: Record<string, string>;
}

const DEPARTMENTS: Department[] = [
  { name: "audio", nouns: ["headphones", "earbuds", "speaker", "headphone case", "turntable"], brands: ["Sonic", "Aurel", "Basso"], tags: ["wireless", "bluetooth", "noise cancelling", "portable", "hi-fi"], price: [19, 349], chinese: ["无线蓝牙耳机", "蓝牙音箱", "降噪耳机"], companions: { headphones: "headphone case" } },
  { name: "tea", nouns: ["green tea", "oolong tea", "teapot", "tea cups", "tea strainer"], brands: ["Leafy", "Jade Hill", "Kettle & Co"], tags: ["organic", "loose leaf", "ceramic", "gift", "caffeine free"], price: [4, 89], chinese: ["绿茶", "乌龙茶", "陶瓷茶杯", "紫砂茶壶"], companions: { teapot: "tea cups", "green tea": "teapot" } },
  { name: "kitchen", nouns: ["chef knife", "cutting board", "frying pan", "saucepan", "spatula"], brands: ["Forge", "Cucina", "Oak & Iron"], tags: ["stainless steel", "non-stick", "wooden", "dishwasher safe", "professional"], price: [9, 199], companions: { "chef knife": "cutting board", "frying pan": "spatula" } },
  { name: "home", nouns: ["desk lamp", "floor lamp", "throw blanket", "cushion", "wall clock"], brands: ["Lumo", "Nest", "Hygge"], tags: ["lighting", "cosy", "wool", "minimalist", "handmade"], price: [15, 249], companions: { cushion: "throw blanket" } },
  { name: "outdoor", nouns: ["hiking boots", "rain jacket", "water bottle", "backpack", "trekking poles"], brands: ["Summit", "Trailhead", "Nordwind"], tags: ["waterproof", "lightweight", "durable", "recycled", "camping"], price: [12, 299], companions: { "hiking boots": "trekking poles", backpack: "water bottle" } },
  { name: "books", nouns: ["cookbook", "travel guide", "novel", "field guide", "notebook"], brands: ["Inkwell", "Paper Crane", "Atlas"], tags: ["paperback", "hardcover", "illustrated", "bestseller", "gift"], price: [6, 45], companions: { cookbook: "notebook" } },
  { name: "fitness", nouns: ["yoga mat", "dumbbells", "resistance bands", "foam roller", "skipping rope"], brands: ["Core", "Pulse", "Zen Motion"], tags: ["home workout", "non-slip", "adjustable", "eco", "beginner"], price: [8, 159], companions: { "yoga mat": "foam roller" } },
  { name: "stationery", nouns: ["fountain pen", "ink bottle", "sketchbook", "pencil set", "desk organiser"], brands: ["Quill", "Graphite", "Studio"], tags: ["refillable", "artist", "recycled paper", "gift", "office"], price: [3, 120], companions: { "fountain pen": "ink bottle" } },
];

const COLOURS = ["black", "white", "blue", "green", "red", "grey", "sand", "olive"];
const ADJECTIVES = ["classic", "compact", "premium", "everyday", "travel", "deluxe", "essential", "pro"];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function products(r: () => number, perDepartment: number): Product[] {
  const out: Product[] = [];
  for (const d of DEPARTMENTS) {
    for (let i = 0; i < perDepartment; i++) {
      const noun = d.nouns[i % d.nouns.length] as string;
      const brand = pick(r, d.brands);
      const colour = pick(r, COLOURS);
      const adjective = pick(r, ADJECTIVES);
      const chinese = d.chinese && i % 5 === 4 ? pick(r, d.chinese) : undefined;
      const title = chinese ? `${chinese} ${brand}` : `${brand} ${adjective} ${noun}, ${colour}`;
      const tags = [...new Set([pick(r, d.tags), pick(r, d.tags), colour])];
      const [lo, hi] = d.price;
      // Log-uniform prices, rounded to .99 or .49.
      const price = Math.max(1, Math.round(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))))) - (r() < 0.5 ? 0.01 : 0.51);
      out.push({
        id: `${d.name}-${String(i + 1).padStart(3, "0")}`,
        title,
        description: `A ${adjective} ${noun} by ${brand} in ${colour}. ${tags.slice(0, 2).join(", ")}; part of our ${d.name} range.`,
        category: d.name,
        brand,
        tags,
        price: Math.round(price * 100) / 100,
        currency: "EUR",
        inStock: r() > 0.1,
        image: `img/${d.name}.svg`,
      });
    }
  }
  return out;
}

/** Generates the demo shop. */
export function generateShop(options: DemoOptions = {}): DemoShop {
  const r = rng(options.seed ?? 7);
  const perDepartment = options.perDepartment ?? 40;
  const items = products(r, perDepartment);
  const byDepartment = new Map<string, Product[]>();
  for (const p of items) byDepartment.set(p.category, [...(byDepartment.get(p.category) ?? []), p]);
  // Popularity within a department: earlier products are likelier (Zipf-like).
  const popularIn = (dept: string) => {
    const list = byDepartment.get(dept) ?? [];
    return list[Math.floor(list.length * Math.pow(r(), 2))] as Product;
  };
  const companionOf = (p: Product) => {
    const d = DEPARTMENTS.find((x) => x.name === p.category);
    const noun = d?.nouns.find((n) => p.title.includes(n));
    const wanted = noun ? d?.companions?.[noun] : undefined;
    if (!wanted) return undefined;
    const matches = items.filter((q) => q.title.includes(wanted));
    return matches.length ? pick(r, matches) : undefined;
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

/** A department's picture: an SVG drawn here (a tinted tile with its initial), no third-party art. */
export function departmentImage(name: string): string {
  const index = Math.max(0, DEPARTMENT_NAMES.indexOf(name));
  const hue = Math.round((index * 360) / DEPARTMENT_NAMES.length);
  const letter = (name[0] ?? "?").toUpperCase();
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" role="img" aria-label="${name}">
<rect width="120" height="120" rx="12" fill="hsl(${hue} 60% 88%)"/>
<circle cx="60" cy="60" r="38" fill="hsl(${hue} 55% 62%)"/>
<text x="60" y="75" font-family="sans-serif" font-size="44" font-weight="700" text-anchor="middle" fill="#fff">${letter}</text>
</svg>
`;
}

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
