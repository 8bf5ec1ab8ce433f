import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COLOURS, generateOrders, generateShop, PRODUCT_TYPES, productKind, withArticle } from "../../src/demo/generate.js";
import { hasPicture, pictureFiles, productPicture } from "../../src/demo/pictures.js";

describe("demo shop generator", () => {
  const shop = generateShop();
  const items = shop.catalogue.items;

  it("is deterministic for a seed and differs between seeds", () => {
    assert.deepEqual(generateShop(), shop);
    assert.notDeepEqual(generateShop({ seed: 8 }).interactions, shop.interactions);
  });

  it("makes a few hundred products with unique ids and every field filled", () => {
    assert.equal(items.length, 320);
    assert.equal(new Set(items.map((p) => p.id)).size, items.length);
    for (const p of items) {
      assert.ok(p.title && p.description && p.category && p.brand && p.tags.length > 0, p.id);
      assert.ok(Number.isFinite(p.price) && p.price > 0, `${p.id} price ${p.price}`);
    }
    assert.ok(items.some((p) => !p.inStock) && items.some((p) => p.inStock));
    assert.equal(new Set(items.map((p) => p.category)).size, 8);
  });

  it("names some products in Chinese, sharing words so CJK matching shows", () => {
    const cjk = items.filter((p) => /[\u4e00-\u9fff]/.test(p.title));
    assert.ok(cjk.length >= 10, `${cjk.length} Chinese titles`);
    assert.ok(cjk.filter((p) => p.title.includes("蓝牙")).length >= 2);
  });

  it("logs sessions over known items with view, cart and purchase events in time order per shopper", () => {
    const [header, ...rows] = shop.interactions.trim().split("\n");
    assert.equal(header, "user,item,event,timestamp");
    assert.ok(rows.length > 2000, `${rows.length} rows`);
    const ids = new Set(items.map((p) => p.id));
    const last = new Map<string, number>();
    const events = new Set<string>();
    for (const row of rows) {
      const [user, item, event, ts] = row.split(",");
      assert.ok(ids.has(item!), row);
      events.add(event!);
      const t = Number(ts);
      assert.ok(t >= (last.get(user!) ?? 0), `time goes back in ${row}`);
      last.set(user!, t);
    }
    assert.deepEqual([...events].sort(), ["cart", "purchase", "view"]);
  });

  it("follows products with their companions, so 'also bought' has signal", () => {
    // After a teapot view, tea cups come next far more often than chance.
    const rows = shop.interactions.trim().split("\n").slice(1).map((r) => r.split(","));
    const title = new Map(items.map((p) => [p.id, p.title]));
    let teapots = 0;
    let thenCups = 0;
    for (let i = 0; i + 1 < rows.length; i++) {
      const [user, item, event] = rows[i]!;
      if (event !== "view" || !title.get(item!)!.includes("teapot")) continue;
      const next = rows.slice(i + 1).find((r) => r[0] === user && r[2] === "view");
      if (!next) continue;
      teapots++;
      if (title.get(next[1]!)!.includes("tea cups")) thenCups++;
    }
    assert.ok(teapots > 20 && thenCups / teapots > 0.3, `${thenCups} of ${teapots}`);
  });
});

describe("demo product words", () => {
  const items = generateShop().catalogue.items;
  const kinds = items.map((p) => ({ p, kind: productKind(p)! }));

  it("puts 'an' before vowel sounds and 'a' before the rest, acronyms and numbers by how they are said", () => {
    const cases: [string, string][] = [
      ["everyday teapot", "an"],
      ["olive tin", "an"],
      ["insulated water bottle", "an"],
      ["LED desk lamp", "an"],
      ["HB pencil set", "an"],
      ["A5 notebook", "an"],
      ["8 kg kettlebell", "an"],
      ["hour glass", "an"],
      ["USB charger", "a"],
      ["one-pot cookbook", "a"],
      ["unique gift", "a"],
      ["20 cm chef knife", "a"],
      ["Japanese teapot", "a"],
      ["sand cover", "a"],
    ];
    for (const [phrase, article] of cases) assert.equal(withArticle(phrase), `${article} ${phrase}`);
    for (const { description } of items) {
      assert.doesNotMatch(description, /\b[Aa] (?!one)[aeio]/, description); // "a one-pot": said "won"
      assert.doesNotMatch(description, /\b[Aa]n [bcdfgjkpqtvwyz]/i, description);
    }
    assert.ok(items.some((p) => /^An |, in an olive /.test(p.description)), "some descriptions need 'an'");
  });

  it("gives every product its type's noun, an adjective of that type, and tags from that type's list plus its colour", () => {
    for (const { p, kind } of kinds) {
      assert.ok(kind, p.id);
      const colour = p.tags.at(-1)!;
      assert.equal(kind.colour, colour, p.id);
      assert.ok(COLOURS.includes(colour), p.id);
      for (const tag of p.tags.slice(0, -1)) assert.ok(kind.type.tags.includes(tag), `${p.id}: ${tag} is not a ${kind.type.noun} tag`);
      assert.ok(p.description.includes(`${kind.type.noun} by ${p.brand}`), p.description);
      if (!/[\u4e00-\u9fff]/.test(p.title)) {
        assert.ok(kind.type.adjectives.some((a) => p.title === `${p.brand} ${a} ${kind.type.noun}, ${colour}${kind.type.colourOn ? ` ${kind.type.colourOn}` : ""}`), p.title);
      }
    }
    // Tea tags fit the type: no caffeine-free teapots, no ceramic green tea.
    const teapots = kinds.filter(({ kind }) => kind.type.noun === "teapot");
    assert.equal(teapots.length, 8);
    assert.ok(teapots.every(({ p }) => !p.tags.includes("caffeine free") && !p.tags.includes("organic")));
    assert.ok(kinds.filter(({ kind }) => kind.type.noun === "green tea").every(({ p }) => !p.tags.includes("ceramic")));
  });

  it("keeps five types per department, in order, with noun = types[i % 5] (tests use tea-003, a teapot)", () => {
    assert.equal(PRODUCT_TYPES.length, 40);
    assert.equal(productKind(items.find((p) => p.id === "tea-003")!)?.type.noun, "teapot");
    assert.match(items.find((p) => p.id === "tea-003")!.title, /teapot/);
    assert.deepEqual(
      ["outdoor-001", "outdoor-004", "outdoor-005"].map((id) => productKind(items.find((p) => p.id === id)!)?.type.noun),
      ["hiking boots", "backpack", "trekking poles"],
    );
  });

  it("names a Chinese-titled product after its own type", () => {
    const chinese = kinds.filter(({ p }) => /[\u4e00-\u9fff]/.test(p.title));
    assert.equal(chinese.length, 16, "one in five of audio and tea");
    for (const { p, kind } of chinese) assert.ok(kind.type.chinese?.some((name) => p.title === `${name} ${p.brand}`), p.title);
    assert.ok(chinese.some(({ kind }) => kind.type.noun === "headphones") && chinese.some(({ kind }) => kind.type.noun === "teapot"));
  });
});

describe("demo product pictures", () => {
  const items = generateShop().catalogue.items;
  const pictures = new Map(items.map((p) => [p.id, productPicture(p)!]));
  /** The object's drawing: the group between the shadow and the badge. */
  const shape = (svg: string) => /<g fill="[^"]+" stroke="[^"]+"[^>]*>(.*)<\/g>/s.exec(svg)?.[1];

  it("draws each product its own picture, at its own path, small and labelled", () => {
    assert.equal(new Set(pictures.values()).size, items.length, "no two products share a picture");
    const files = pictureFiles(items);
    assert.equal(files.size, items.length);
    for (const p of items) {
      assert.equal(p.image, `img/${p.id}.svg`);
      const svg = files.get(p.image)!;
      assert.equal(svg, pictures.get(p.id));
      assert.ok(svg.length <= 1536, `${p.id}: ${svg.length} bytes`);
      const kind = productKind(p)!;
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 120 120" role="img" aria-label="([^"]+)">/);
      assert.ok(svg.includes(`aria-label="${kind.colour} ${kind.type.noun} by ${p.brand.replace("&", "&#38;")}"`), svg.slice(0, 160));
      assert.ok(svg.includes(`>${p.brand[0]}</text>`), `${p.id}: the brand's initial`);
      assert.doesNotMatch(svg, /&(?!#\d+;)|<script|href/, p.id);
    }
  });

  it("gives products of a type the same shape and the colour of their colour attribute", () => {
    for (const type of PRODUCT_TYPES) assert.ok(hasPicture(type.noun), type.noun);
    const byTypeAndColour = new Map<string, string>();
    const fills = new Map<string, string>();
    for (const p of items) {
      const kind = productKind(p)!;
      const svg = pictures.get(p.id)!;
      const fill = /<g fill="(#[0-9a-f]{6})"/.exec(svg)![1]!;
      // One fill per colour attribute, and a different one for each.
      assert.equal(fills.get(kind.colour) ?? fill, fill, `${p.id} is ${kind.colour}`);
      fills.set(kind.colour, fill);
      // Same type and colour: the same drawing, whatever the brand.
      const key = `${kind.type.noun}/${kind.colour}`;
      assert.equal(byTypeAndColour.get(key) ?? shape(svg), shape(svg), p.id);
      byTypeAndColour.set(key, shape(svg)!);
    }
    assert.equal(new Set(fills.values()).size, COLOURS.length);
    // Same type, other colour: the same drawing with other paint.
    const outline = (svg: string) => shape(svg)!.replace(/#[0-9a-f]{3,6}\b/g, "#");
    for (const type of PRODUCT_TYPES) {
      const ofType = items.filter((p) => productKind(p)!.type === type);
      assert.equal(new Set(ofType.map((p) => outline(pictures.get(p.id)!))).size, 1, `${type.noun}: one shape`);
      assert.ok(new Set(ofType.map((p) => productKind(p)!.colour)).size > 1, `${type.noun}: in several colours`);
    }
    // And different types look different.
    const first = PRODUCT_TYPES.map((type) => items.find((p) => productKind(p)!.type === type)!);
    assert.equal(new Set(first.map((p) => outline(pictures.get(p.id)!))).size, 40);
  });

  it("shares one picture per type and colour, without a badge, in a shop that asks for it", () => {
    const big = generateShop({ perDepartment: 100, shoppers: 1, pictures: "type" }).catalogue.items;
    const files = pictureFiles(big);
    assert.ok(files.size <= 320 && files.size > 200, `${files.size} files`);
    for (const p of big) assert.match(p.image, /^img\/[a-z-]+-(black|white|blue|green|red|grey|sand|olive)\.svg$/);
    assert.ok([...files.values()].every((svg) => !svg.includes("<text")));
  });

  it("is deterministic: the same seed draws the same pictures", () => {
    assert.deepEqual(pictureFiles(generateShop().catalogue.items), pictureFiles(items));
  });
});

describe("demo order log", () => {
  const items = generateShop().catalogue.items;
  const { orders, stock } = generateOrders(items);
  const lines = orders.trim().split("\n");

  it("is deterministic for a seed", () => {
    assert.deepEqual(generateOrders(items), { orders, stock });
    assert.notEqual(generateOrders(items, { seed: 14 }).orders, orders);
  });

  it("writes invoice lines of known products at catalogue prices, in time order, with returns on C invoices", () => {
    assert.equal(lines[0], "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country");
    const prices = new Map(items.map((p) => [p.id, p.price.toFixed(2)]));
    let previous = "";
    let returns = 0;
    const customers = new Set<string>();
    for (const line of lines.slice(1)) {
      // Titles with commas are quoted: split off the fields around the description.
      const [invoice, id] = line.split(",", 2) as [string, string];
      const tail = line.split(",").slice(-5);
      const [quantity, date, price, customer] = tail as [string, string, string, string];
      assert.equal(prices.get(id), price, line);
      assert.ok(date >= previous, `time order at ${line}`);
      previous = date;
      customers.add(customer);
      if (invoice.startsWith("C")) {
        returns++;
        assert.ok(Number(quantity) < 0, line);
      } else assert.ok(Number(quantity) > 0, line);
    }
    assert.ok(lines.length > 5000, `${lines.length} lines`);
    assert.ok(returns > 50 && returns < lines.length * 0.05, `${returns} returns`);
    assert.ok(customers.size > 800, `${customers.size} customers`);
  });

  it("gives stock on hand for every product", () => {
    const rows = stock.trim().split("\n");
    assert.equal(rows[0], "id,stock");
    assert.equal(rows.length, items.length + 1);
    assert.ok(rows.slice(1).every((row) => /^[a-z]+-\d{3},\d+$/.test(row)));
  });
});
