/**
 * The demo shop in a real browser (Debian's Chromium via playwright-core):
 * what a shopper does, and what must never happen (console errors, script
 * from catalogue text, requests to other origins).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changed, clean, shown, stayedHome, suite } from "./browser.js";

/** Every test ends clean: no console errors, no dialogs, nothing fetched from elsewhere, the wasm fetched, no log. */
const { origin, fresh } = suite((watched, origin) => {
  clean(watched);
  stayedHome(watched, origin);
  const { requests } = watched;
  assert.ok(requests.some((url) => /\/pocketrec(_forecast|_query)?_bg\.wasm$/.test(url)), "a wasm module was fetched");
  assert.ok(!requests.some((url) => /interactions|\.csv/.test(url)), "the shop publishes no interaction log, and no page asks for one");
});

describe("demo shop", () => {
  it("shows the grid and the strips, with the engine in a Web Worker", async () => {
    const { page, requests } = await fresh();
    await page.goto(`${origin()}/demo/`);
    await page.waitForSelector("#grid li");
    assert.equal(await page.locator("#grid li").count(), 320);
    const trending = await shown(page, "trending");
    assert.equal(trending.length, 6);
    // A new visitor: the personal row says how it will work instead of repeating the trending row.
    assert.deepEqual(await shown(page, "for-you"), []);
    assert.equal(await page.locator("pocket-recs#for-you").getAttribute("data-cold-start"), "message");
    assert.match((await page.locator("pocket-recs#for-you .status").textContent()) ?? "", /Browse a few products and this row follows you/);
    assert.equal(page.workers().length, 1, "one worker, shared by both strips");
    // Accessible cards: a list of links named by the product title.
    const card = page.locator("pocket-recs#trending li").first();
    const title = await card.locator(".title").textContent();
    assert.ok(title && title.length > 3);
    assert.equal(await card.getByRole("link").getAttribute("href"), `product.html?id=${encodeURIComponent(trending[0] ?? "")}`);
    await page.waitForFunction(() => document.getElementById("engine-status")?.textContent?.startsWith("Engine ready: 320 products"));
    assert.ok(!requests.some((url) => url.includes("pocketrec_forecast")), "a shop page never loads the forecaster");
    // Served from the model index, with the query module (no fitting code).
    const wasm = requests.filter((url) => url.endsWith(".wasm")).map((url) => url.split("/").pop());
    assert.deepEqual(wasm, ["pocketrec_query_bg.wasm"]);
    const data = requests.filter((url) => url.includes("/shop/") && !url.includes("/img/"));
    assert.ok(data.includes(`${origin()}/demo/shop/index/pocketrec-index.json`), data.join());
    assert.ok(data.every((url) => url.endsWith("/shop/catalogue.json") || /\/shop\/index\/(pocketrec-index\.json|[a-z-]+-[0-9a-f]{16}\.bin)$/.test(url)), `only the shop's catalogue and index files: ${data.join()}`);
  });

  it("opens a product and shows similar items and what customers also bought", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/`);
    await page.locator('#grid li[data-id="tea-003"] a').click();
    await page.waitForURL(/product\.html\?id=tea-003$/);
    assert.match((await page.locator("#product h1").textContent()) ?? "", /teapot/i);
    const similar = await shown(page, "similar");
    assert.equal(similar.length, 6);
    assert.ok(!similar.includes("tea-003"), "not the product itself");
    assert.ok(similar.every((id) => id.startsWith("tea-")), `similar to a teapot: ${similar.join()}`);
    const reasons = await page.locator("pocket-recs#similar .reason").allTextContents();
    assert.ok(reasons.length === 6 && reasons.every((r) => r.length > 0), `every card has a reason: ${reasons.join(" | ")}`);
    const also = await shown(page, "also-bought");
    assert.ok(also.length > 0 && !also.includes("tea-003"));
    assert.notDeepEqual(also, similar, "collaborative and content results differ");
  });

  it("follows the shopper: three products change 'recommended for you', a reload keeps them, forget me clears them", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/`);
    const cold = await shown(page, "for-you");
    const seen: string[][] = [];
    for (const id of ["outdoor-001", "outdoor-004", "outdoor-005"]) {
      await page.goto(`${origin()}/demo/product.html?id=${id}`);
      seen.push(await shown(page, "for-you"));
    }
    const warm = seen.at(-1) ?? [];
    assert.notDeepEqual(warm, cold, "recommendations changed with the history");
    assert.notDeepEqual(seen[0], seen[2], "and kept changing as the shopper browsed");
    assert.ok(!warm.some((id) => ["outdoor-001", "outdoor-004", "outdoor-005"].includes(id)), "viewed items are not recommended back");
    assert.ok(warm.filter((id) => id.startsWith("outdoor-")).length >= 3, `mostly outdoor: ${warm.join()}`);

    // A live update, no reload: putting something in the basket re-ranks the strip.
    await page.getByRole("button", { name: "Add to basket" }).click();
    await page.waitForSelector("#product [role=status]:has-text('basket')");

    // The reload records one more view of this product; what matters is that
    // the history survived it: the strip is still the warm one, not the cold start.
    await page.reload();
    const reloaded = await shown(page, "for-you");
    assert.notDeepEqual(reloaded, cold, "the history survived the reload");
    assert.ok(reloaded.filter((id) => id.startsWith("outdoor-")).length >= 3, `still follows the history: ${reloaded.join()}`);
    await page.goto(`${origin()}/demo/privacy.html`);
    const stored = JSON.parse((await page.locator("#stored").textContent()) ?? "") as { v: number; events: { item: string; event: string }[] };
    assert.equal(stored.v, 1);
    assert.deepEqual(
      stored.events.map((e) => `${e.event}:${e.item}`),
      ["view:outdoor-001", "view:outdoor-004", "view:outdoor-005", "cart:outdoor-005", "view:outdoor-005"],
    );
    await page.getByRole("button", { name: "Forget me" }).click();
    await page.waitForFunction(() => document.getElementById("stored-summary")?.textContent?.startsWith("Nothing is stored"));
    assert.equal(await page.evaluate(() => localStorage.getItem("pocketrec:history")), null);
    await page.goto(`${origin()}/demo/`);
    assert.deepEqual(await shown(page, "for-you"), cold, "after forget me, back to the cold start");
  });

  it("updates a personal strip live when the history changes on the same page", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/product.html?id=books-002`);
    const before = await shown(page, "for-you");
    await page.evaluate(() => {
      // Another part of the page records events through the shared history.
      const raw = { v: 1, events: [{ item: "fitness-001", event: "purchase" }, { item: "fitness-003", event: "purchase" }] };
      localStorage.setItem("pocketrec:history", JSON.stringify(raw));
      window.dispatchEvent(new StorageEvent("storage", { key: "pocketrec:history", storageArea: localStorage }));
    });
    const after = await changed(page, "for-you", before);
    assert.ok(after.filter((id) => id.startsWith("fitness-")).length >= 3, `follows the new history: ${after.join()}`);
  });

  it("keeps a corrupt stored history aside, reports it, and carries on", async () => {
    const { page, context } = await fresh();
    await context.addInitScript(() => {
      if (!sessionStorage.getItem("seeded")) {
        localStorage.setItem("pocketrec:history", "{not json");
        sessionStorage.setItem("seeded", "1");
      }
    });
    const warnings: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    await page.goto(`${origin()}/demo/`);
    assert.equal((await shown(page, "trending")).length, 6);
    assert.equal(await page.locator("pocket-recs#for-you").getAttribute("data-cold-start"), "message", "the set-aside history counts as none");
    assert.ok(warnings.some((w) => w.includes("not valid JSON") && w.includes("set-aside")), warnings.join("\n"));
    await page.goto(`${origin()}/demo/privacy.html`);
    const aside = await page.locator("#set-aside pre").allTextContents();
    assert.deepEqual(aside, ["{not json"], "the old value is kept and shown");
  });

  it("changes playground results live and times each query", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/playground.html`);
    await page.waitForSelector("#results tbody tr");
    assert.match((await page.locator("#timing").textContent()) ?? "", /^8 results in \d+\.\d\d ms$/);
    const first = await page.locator("#results tbody tr td:nth-child(2)").allTextContents();
    await page.locator("select[name=category]").selectOption("books");
    await page.waitForFunction((before) => [...document.querySelectorAll("#results tbody tr td:nth-child(2)")].map((td) => td.textContent).join() !== before, first.join());
    const hrefs = await page.locator("#results tbody a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    assert.ok(hrefs.length > 0 && hrefs.every((h) => h.includes("books-")), hrefs.join());
    await page.locator("input[name=k]").fill("3");
    await page.waitForFunction(() => document.querySelectorAll("#results tbody tr").length === 3);
    assert.match((await page.locator("#code").textContent()) ?? "", /"categories":\["books"\]/);
  });

  it("shows the shop owner a forecast chart with nested bands and a reorder suggestion", async () => {
    const { page, requests } = await fresh();
    await page.goto(`${origin()}/demo/owner.html`);
    await page.waitForFunction(() => document.querySelectorAll("#forecast-table tbody tr").length === 12);
    assert.match((await page.locator("#forecast-summary").textContent()) ?? "", /, season 12; forecast in \d+\.\d ms/);
    assert.equal(await page.locator("#chart svg polygon.band-80").count(), 1);
    assert.equal(await page.locator("#chart svg polygon.band-95").count(), 1);
    const historyPoints = await page.locator("#chart svg polyline.history").getAttribute("points");
    assert.equal(historyPoints?.split(" ").length, 48, "four years of months");
    assert.match((await page.locator("#chart svg title").textContent()) ?? "", /48 periods of history and a 12-period forecast/);
    const rows = await page.locator("#forecast-table tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].slice(1).map((td) => (td.textContent ?? "").split("–").map((x) => Number(x.replace(/[^\d.]/g, ""))))),
    );
    for (const [[point], [lo80, hi80], [lo95, hi95]] of rows as number[][][] as [number[], number[], number[]][]) {
      assert.ok(0 <= lo95! && lo95! <= lo80! && lo80! <= point! && point! <= hi80! && hi80! <= hi95!, JSON.stringify(rows));
    }
    assert.match((await page.locator("#reorder").textContent()) ?? "", /reorder when stock on hand and on order falls to \d+ units/);
    const wasm = requests.filter((url) => url.endsWith(".wasm")).map((url) => url.split("/").pop());
    assert.deepEqual(wasm, ["pocketrec_forecast_bg.wasm"], "the owner's page loads only the forecaster");

    // A slow mover gets an intermittent-demand model; the horizon follows the form.
    const slow = await page.locator("select[name=product] option", { hasText: "slow mover" }).first().getAttribute("value");
    await page.locator("select[name=product]").selectOption(slow ?? "");
    await page.waitForFunction(() => /Croston|TSB/.test(document.getElementById("forecast-summary")?.textContent ?? ""));
    await page.locator("input[name=horizon]").fill("6");
    await page.waitForFunction(() => document.querySelectorAll("#forecast-table tbody tr").length === 6);
  });

  it("makes the owner a reorder plan and customer segments in the page, from the demo's orders or a dropped file", async () => {
    const { page, requests } = await fresh();
    await page.goto(`${origin()}/demo/owner.html`);
    await page.waitForSelector("#plan tbody tr");
    await page.waitForSelector("#segments tbody tr");
    assert.match((await page.locator("#orders-source").textContent()) ?? "", /the demo shop's made-up orders .* not uploaded/);
    // 320 products: the matrix counts them all, the table shows the 300 most urgent.
    const matrix = (await page.locator("#abc-xyz tbody button").allTextContents()).map((t) => Number(t.replace(/\D/g, "")));
    assert.equal(matrix.reduce((a, b) => a + b, 0), 320, matrix.join());
    assert.equal(await page.locator("#plan tbody tr").count(), 300);
    assert.match((await page.locator("#plan-summary").textContent()) ?? "", /^320 products \(A \d+, B \d+, C \d+\)/);
    // Sorting by revenue, then the other way.
    const revenues = () => page.locator("#plan tbody tr td:nth-child(5)").evaluateAll((tds) => tds.map((td) => Number((td.textContent ?? "").replace(/[^\d.]/g, ""))));
    await page.locator('#plan th[data-key="revenue"] button').click();
    assert.equal(await page.locator('#plan th[data-key="revenue"]').getAttribute("aria-sort"), "descending");
    const down = await revenues();
    assert.deepEqual(down, [...down].sort((a, b) => b - a));
    await page.locator('#plan th[data-key="revenue"] button').click();
    const up = await revenues();
    assert.deepEqual(up, [...up].sort((a, b) => a - b));
    // A matrix cell filters the table to its class.
    const ax = matrix[0] ?? 0;
    await page.locator('#abc-xyz td[data-class="AX"] button').click();
    assert.equal(await page.locator("#plan tbody tr").count(), Math.min(ax, 300));
    const classes = await page.locator("#plan tbody tr").evaluateAll((trs) => trs.map((tr) => `${tr.children[2]?.textContent}${tr.children[3]?.textContent}`));
    assert.ok(classes.every((c) => c === "AX"), classes.join());
    await page.locator('#abc-xyz td[data-class="AX"] button').click();
    // A row opens that product's forecast chart.
    const row = page.locator("#plan tbody tr").first();
    const id = await row.getAttribute("data-id");
    await row.locator("button.link").click();
    await page.waitForSelector("#plan-chart svg polyline.history");
    assert.equal(await page.locator("#plan-chart").getAttribute("data-id"), id);
    // Segments: a named row each, a dot per customer.
    const names = await page.locator("#segments tbody th").allTextContents();
    assert.ok(names.length >= 2 && names.length <= 8 && new Set(names).size === names.length, names.join());
    const customers = Number(((await page.locator("#segments-summary").textContent()) ?? "").replace(/,/g, "").match(/^(\d+) customers/)?.[1]);
    assert.ok(customers > 800, `${customers} customers`);
    assert.equal(await page.locator("#segments-scatter circle").count(), customers);
    await page.locator("select[name=k]").selectOption("3");
    await page.waitForFunction(() => document.querySelectorAll("#segments tbody tr").length === 3);

    // The owner's own file, chosen (as a drop would give it): read in the page, nothing fetched for it.
    const before = requests.length;
    let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
    for (let week = 0; week < 20; week++) {
      for (const [customer, product, quantity] of [["ann", "MUG", 3], ["bob", "MUG", 1], ["cat", "POT", 1], ["dan", "CUP", 2 + (week % 3)]] as const) {
        const day = new Date(Date.UTC(2026, 0, 5 + week * 7 + customer.length)).toISOString().slice(0, 10);
        csv += `${week}${customer},${product},${product} ITEM,${quantity},${day} 10:00:00,${product === "POT" ? 20 : 2.5},${customer},UK\n`;
      }
    }
    await page.locator('#desk input[name="file"]').setInputFiles({ name: "my-orders.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.waitForFunction(() => /my-orders\.csv/.test(document.getElementById("orders-source")?.textContent ?? "") && document.querySelectorAll("#plan tbody tr").length === 3);
    assert.deepEqual((await page.locator("#plan tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")))).sort(), ["CUP", "MUG", "POT"]);
    assert.equal(requests.length, before, "nothing fetched for the owner's file");
    // Dropped on the page, the same file gives the same plan.
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "dropped.csv", { type: "text/csv" }));
      return transfer;
    }, csv);
    await page.dispatchEvent("#orders-drop", "drop", { dataTransfer });
    await page.waitForFunction(() => /dropped\.csv/.test(document.getElementById("orders-source")?.textContent ?? ""));
    assert.equal(await page.locator("#plan tbody tr").count(), 3);
    assert.ok((await page.locator("#segments tbody tr").count()) >= 1);
    // A log of nothing but returns is a clear error, and the last plan stays.
    await page.locator('#desk input[name="file"]').setInputFiles({ name: "returns.csv", mimeType: "text/csv", buffer: Buffer.from("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice\nC1,MUG,-1,2026-01-05,2.5\n") });
    await page.waitForSelector("#desk-error:not([hidden])");
    assert.match((await page.locator("#desk-error").textContent()) ?? "", /no sales/);
    assert.equal(await page.locator("#plan tbody tr").count(), 3);
  });

  it("forecasts a pasted series in the playground, and says which entry is not a number", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/playground.html`);
    await page.waitForFunction(() => /^.+, season \d+: next \d+/.test(document.getElementById("fc-status")?.textContent ?? ""));
    assert.equal(await page.locator("#fc-chart svg polygon.band").count(), 2);
    await page.locator("#fc-values").fill("1, 2, x, 4");
    await page.waitForFunction(() => !document.getElementById("fc-error")?.hidden);
    assert.equal(await page.locator("#fc-error").textContent(), 'value 3 ("x") is not a number');
    await page.locator("#fc-values").fill("5 5 5 5 5 5 5 5");
    await page.waitForFunction(() => document.getElementById("fc-error")?.hidden === true);
    assert.match((await page.locator("#fc-status").textContent()) ?? "", /next 5;/);
  });
});
