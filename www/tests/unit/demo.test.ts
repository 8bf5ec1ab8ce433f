import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateOrders, generateShop } from "../../src/demo/generate.js";

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
