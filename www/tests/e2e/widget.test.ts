/**
 * `<pocket-recs>` on pages other than the demo: hostile catalogue text,
 * the main-thread fallback, a strict CSP, and errors a site author makes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { shown, suite, type Watched } from "./browser.js";

const { origin, fresh } = suite((watched, origin) => {
  assert.deepEqual(watched.dialogs, [], "no script ran from catalogue text");
  assert.deepEqual(watched.requests.filter((u) => !u.startsWith(`${origin}/`)), [], "nothing left the origin");
});

const CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'`;
const XSS = "<img src=x onerror=alert(1)>";

/** A page of a static site at /site/, with the given body, served over the real dist. */
async function site(body: string, files: Record<string, string> = {}): Promise<Watched> {
  const watched = await fresh();
  const pages: Record<string, string> = {
    "/site/index.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>site</title><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<script type="module" src="/pocketrec/pocketrec.js"></script></head><body>${body}</body></html>`,
    ...files,
  };
  await watched.context.route(`${origin()}/site/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const content = pages[path];
    return content === undefined
      ? route.fulfill({ status: 404, body: "not found" })
      : route.fulfill({ body: content, contentType: path.endsWith(".html") ? "text/html" : "application/json" });
  });
  await watched.page.goto(`${origin()}/site/index.html`);
  return watched;
}

const hostile = JSON.stringify({
  items: [
    { id: "a", title: XSS, description: "<script>alert(2)</script> lamp", category: "<b>cat</b>", price: 5, url: "javascript:alert(3)", image: "javascript:alert(4)" },
    { id: "b", title: "Plain lamp", description: "a lamp", category: "<b>cat</b>", price: 7, image: "x.png\" onerror=\"alert(5)" },
  ],
});

/** The demo shop's log: written by build-web for `pocketrec build`, never published; served here to test the raw-log path. */
const demoLog = () => readFileSync("build/shops/demo-interactions.csv", "utf8");

describe("<pocket-recs>", () => {
  it("renders catalogue text as text, never as HTML, and drops javascript: links", async () => {
    const { page, errors } = await site(`<pocket-recs id="t" catalogue="catalogue.json" mode="trending" k="2"></pocket-recs>`, { "/site/catalogue.json": hostile });
    assert.deepEqual(await shown(page, "t"), ["a", "b"]);
    const card = page.locator("pocket-recs#t li[data-id=a]");
    assert.equal(await card.locator(".title").textContent(), XSS);
    assert.equal(await page.locator("pocket-recs#t").evaluate((e) => e.shadowRoot?.querySelectorAll("script, b, img[src=x]").length), 0);
    assert.equal(await card.locator("a").count(), 0, "a javascript: url is not a link");
    assert.equal(await card.locator("img").count(), 0, "nor an image");
    // The quote in the second image URL stayed inside the attribute.
    const src = await page.locator("pocket-recs#t li[data-id=b] img").getAttribute("src");
    assert.equal(src, `${origin()}/site/x.png%22%20onerror=%22alert(5)`);
    await page.waitForTimeout(200);
    assert.deepEqual(errors.filter((e) => !e.includes("x.png")), []);
  });

  it("similar mode with a model, a link template and weights; works on the main thread too", async () => {
    const { page, errors } = await site(
      `<pocket-recs id="w" catalogue="/demo/shop/catalogue.json" interactions="interactions.csv" item="tea-003" k="3" href="/p/{id}" heading="You may like"></pocket-recs>
       <pocket-recs id="m" no-worker catalogue="/demo/shop/catalogue.json" item="tea-003" model="content" k="3" weights="content:1"></pocket-recs>`,
      { "/site/interactions.csv": demoLog() },
    );
    const inWorker = await shown(page, "w");
    const onMain = await shown(page, "m");
    assert.equal(inWorker.length, 3);
    assert.equal(onMain.length, 3);
    assert.equal(page.workers().length, 1, "only the first element runs a worker");
    assert.equal(await page.locator("pocket-recs#w h2").textContent(), "You may like");
    assert.equal(await page.locator("pocket-recs#w li a").first().getAttribute("href"), `/p/${inWorker[0]}`);
    assert.deepEqual(errors, []);
    // Attribute changes re-query.
    await page.locator("pocket-recs#m").evaluate((e) => e.setAttribute("k", "5"));
    await page.waitForFunction(() => document.querySelector("pocket-recs#m")?.shadowRoot?.querySelectorAll("li").length === 5);
  });

  it("says what is wrong: a missing catalogue, an unknown item, a bad attribute", async () => {
    const { page } = await site(
      `<pocket-recs id="missing" catalogue="nope.json" mode="trending"></pocket-recs>
       <pocket-recs id="unknown" catalogue="/demo/shop/catalogue.json" item="no-such-item"></pocket-recs>
       <pocket-recs id="k" catalogue="/demo/shop/catalogue.json" mode="trending" k="lots"></pocket-recs>`,
    );
    for (const id of ["missing", "unknown", "k"]) await page.waitForSelector(`pocket-recs#${id}[data-state=error]`);
    const status = (id: string) => page.locator(`pocket-recs#${id} [role=status]`).textContent();
    assert.match((await status("missing")) ?? "", /could not load catalogue from .*\/site\/nope\.json: HTTP 404/);
    assert.match((await status("unknown")) ?? "", /no-such-item/);
    assert.match((await status("k")) ?? "", /k "lots" is not a whole number from 1 to 100/);
  });

  it("serves strips from a model index: similar, personal, trending; nothing but the index files fetched", async () => {
    const { page, requests } = await site(
      `<pocket-recs id="s" index="/demo/shop/index/" link-base="/demo/shop/" item="tea-003" k="3"></pocket-recs>
       <pocket-recs id="p" index="/demo/shop/index/" link-base="/demo/shop/" mode="personal" k="4" category="tea"></pocket-recs>
       <pocket-recs id="t" index="/demo/shop/index" link-base="/demo/shop/" mode="trending" k="2"></pocket-recs>`,
    );
    const similar = await shown(page, "s");
    assert.equal(similar.length, 3);
    assert.ok(!similar.includes("tea-003"));
    assert.ok((await shown(page, "p")).every((id) => id.startsWith("tea-")), "filters apply");
    assert.equal((await shown(page, "t")).length, 2);
    assert.equal(page.workers().length, 1, "one engine for the index, however its URL is written");
    const image = await page.locator("pocket-recs#s li img").first().getAttribute("src");
    // Each product has its own picture, img/<id>.svg beside the catalogue.
    assert.ok(image?.endsWith(`/demo/shop/img/${similar[0]}.svg`), `images resolve against link-base: ${image}`);
    const data = requests.filter((u) => u.includes("/demo/shop/") && !u.includes("/demo/shop/img/"));
    assert.ok(data.length > 1 && data.every((u) => /\/demo\/shop\/index\/(pocketrec-index\.json|[a-z-]+-[0-9a-f]{16}\.bin)$/.test(u)), data.join());
    assert.ok(requests.some((u) => u.endsWith("/pocketrec_query_bg.wasm")) && !requests.some((u) => u.endsWith("/pocketrec_bg.wasm")), "the query module, not the fitting one");
  });

  it("shows a new visitor's personal strip as cold-start asks, then follows the history", async () => {
    const index = `index="/demo/shop/index/" link-base="/demo/shop/" k="6"`;
    const { page } = await site(
      `<pocket-recs id="t" ${index} mode="trending"></pocket-recs>
       <pocket-recs id="e" ${index} mode="personal"></pocket-recs>
       <pocket-recs id="m" ${index} mode="personal" cold-start="message" cold-start-text="Look around first."></pocket-recs>
       <pocket-recs id="p" ${index} mode="personal" cold-start="popular"></pocket-recs>
       <pocket-recs id="h" ${index} mode="personal" cold-start="hide" heading="For you"></pocket-recs>
       <pocket-recs id="bad" ${index} mode="personal" cold-start="sometimes"></pocket-recs>`,
    );
    const trending = await shown(page, "t");
    const explore = await shown(page, "e");
    const cold = (id: string) => page.locator(`pocket-recs#${id}`).getAttribute("data-cold-start");
    assert.equal(await cold("e"), "explore", "explore is the default");
    assert.equal(explore.length, 6);
    assert.deepEqual(explore.filter((id) => trending.includes(id)), [], `a sample of the shop past the trending row: ${explore.join()} / ${trending.join()}`);
    assert.equal(new Set(explore.map((id) => id.split("-")[0])).size, 6, `one per department: ${explore.join()}`);
    // Each is its department's most popular item past the trending ones.
    const popular = await page.evaluate(async () => {
      const module = "/pocketrec/pocketrec.js";
      const { sharedEngine } = (await import(module)) as typeof import("../../src/index.js");
      const engine = await sharedEngine({ indexUrl: "/demo/shop/index/", linkBase: "/demo/shop/" });
      return (await engine.popular({ k: 100, model: "popular" })).map((r) => r.id);
    });
    const department = (id: string) => id.split("-")[0];
    for (const id of explore) assert.equal(popular.find((p) => !trending.includes(p) && department(p) === department(id)), id);
    assert.deepEqual(await shown(page, "m"), []);
    assert.equal(await page.locator("pocket-recs#m .status").textContent(), "Look around first.");
    assert.deepEqual(await shown(page, "p"), trending, "popular: what an empty history gets, the trending row");
    await page.waitForSelector("pocket-recs#h[data-state=empty]", { state: "attached" });
    assert.equal(await page.locator("pocket-recs#h").isVisible(), false, "hide: not displayed at all");
    await page.waitForSelector("pocket-recs#bad[data-state=error]");
    assert.match((await page.locator("pocket-recs#bad .status").textContent()) ?? "", /cold-start "sometimes" is not one of explore, message, popular, hide/);

    // The first event of the history: every personal strip turns personal.
    await page.evaluate(() => {
      localStorage.setItem("pocketrec:history", JSON.stringify({ v: 1, events: [{ item: "outdoor-001", event: "view" }] }));
      window.dispatchEvent(new StorageEvent("storage", { key: "pocketrec:history", storageArea: localStorage }));
    });
    await page.waitForFunction(() => ["e", "m", "p", "h"].every((id) => document.querySelector(`pocket-recs#${id}`)?.getAttribute("data-state") === "ready" && !document.querySelector(`pocket-recs#${id}`)?.hasAttribute("data-cold-start")));
    assert.equal(await page.locator("pocket-recs#h").isVisible(), true);
    assert.equal((await shown(page, "h")).length, 6);
  });

  it("falls back to trending when a shard of the index is corrupt, and says so", async () => {
    const watched = await fresh();
    await watched.context.route(`${origin()}/demo/shop/index/item-knn-*.bin`, async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0xff;
      await route.fulfill({ response, body });
    });
    await watched.context.route(`${origin()}/site/index.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>site</title><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="${CSP}"><script type="module" src="/pocketrec/pocketrec.js"></script></head><body>
<pocket-recs id="s" index="/demo/shop/index/" item="tea-003" model="item-knn" k="3"></pocket-recs>
<pocket-recs id="t" index="/demo/shop/index/" mode="trending" k="3"></pocket-recs></body></html>`,
      }),
    );
    const warnings: string[] = [];
    watched.page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    await watched.page.goto(`${origin()}/site/index.html`);
    const { page } = watched;
    assert.deepEqual(await shown(page, "s"), await shown(page, "t"), "the similar strip shows trending");
    assert.equal(await page.locator("pocket-recs#s").getAttribute("data-fallback"), "trending");
    assert.equal(await page.locator("pocket-recs#s [role=status]").textContent(), "Showing trending items.");
    assert.ok(warnings.some((w) => /item-knn-[0-9a-f]{16}\.bin/.test(w)), `the console names the file: ${warnings.join(" | ")}`);
  });

  it("says what is wrong with an index it cannot open", async () => {
    const { page } = await site(`<pocket-recs id="x" index="/site/nowhere/" mode="trending"></pocket-recs>`);
    await page.waitForSelector("pocket-recs#x[data-state=error]");
    assert.match((await page.locator("pocket-recs#x [role=status]").textContent()) ?? "", /could not load model index manifest from .*\/site\/nowhere\/pocketrec-index\.json: HTTP 404/);
  });

  it("puts the browser in one variant of an experiment, applies its attributes, keeps it across pages, and draws again after the history is cleared", async () => {
    const strip = `<pocket-recs id="x" index="/demo/shop/index/" link-base="/demo/shop/" mode="trending" experiment="strip-test" variants='{"two": {"k": 2}, "three": {"k": 3, "heading": "Three"}}'></pocket-recs>`;
    const watched = await site(strip);
    const { page } = watched;
    // Events heard by the page's own code (a shop's analytics), from the first page load on.
    await watched.context.addInitScript(() => {
      const seen: unknown[] = ((window as unknown as { seen: unknown[] }).seen = []);
      document.addEventListener("pocketrec-variant", (e) => seen.push((e as CustomEvent).detail));
    });
    const ready = async () => {
      await page.waitForSelector("pocket-recs#x[data-variant][data-state=ready]");
      const variant = (await page.locator("pocket-recs#x").getAttribute("data-variant")) ?? "";
      assert.ok(["two", "three"].includes(variant), variant);
      assert.equal((await shown(page, "x")).length, variant === "two" ? 2 : 3, "the variant's k applies");
      return variant;
    };
    const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem("pocketrec:history") ?? "{}").variants);
    const first = await ready();
    assert.deepEqual(await stored(), { "strip-test": first }, "kept with the shopper's history");
    for (let i = 0; i < 3; i++) {
      await page.reload();
      assert.equal(await ready(), first, "the same variant on every later page");
      assert.deepEqual(await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen), [{ experiment: "strip-test", variant: first }]);
    }
    // Whatever was stored is what shows; "forget me" erases it with the events.
    const other = first === "two" ? "three" : "two";
    await page.evaluate((v) => localStorage.setItem("pocketrec:history", JSON.stringify({ v: 1, events: [], variants: { "strip-test": v } })), other);
    await page.reload();
    assert.equal(await ready(), other);
    // The page's own "forget me": the module's shared history, cleared (a variable URL keeps tsc from resolving it).
    await page.evaluate(async (url) => ((await import(url)) as { sharedHistory(): { clear(): void } }).sharedHistory().clear(), "/pocketrec/pocketrec.js");
    assert.equal(await page.evaluate(() => localStorage.getItem("pocketrec:history")), null);
    await page.reload();
    await ready();
    assert.deepEqual(Object.keys(await stored()), ["strip-test"], "drawn again and stored");
  });

  it("says what is wrong with an experiment's variants", async () => {
    const { page } = await site(
      `<pocket-recs id="a" index="/demo/shop/index/" mode="trending" experiment="e"></pocket-recs>
       <pocket-recs id="b" index="/demo/shop/index/" mode="trending" experiment="e" variants='{"x": {"colour": "red"}}'></pocket-recs>`,
    );
    for (const id of ["a", "b"]) await page.waitForSelector(`pocket-recs#${id}[data-state=error]`);
    const status = (id: string) => page.locator(`pocket-recs#${id} [role=status]`).textContent();
    assert.match((await status("a")) ?? "", /experiment "e": needs a variants attribute: a JSON object of variant name → attributes/);
    assert.match((await status("b")) ?? "", /experiment "e": variants\.x\.colour is not an attribute a variant may set; accepted: index, /);
  });
});
