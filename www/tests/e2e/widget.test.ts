/**
 * `<pocket-recs>` on pages other than the demo: hostile catalogue text,
 * the main-thread fallback, a strict CSP, and errors a site author makes.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { open, shown, start, type Session, type Watched } from "./browser.js";

let session: Session;
let current: Watched | undefined;
before(async () => {
  session = await start();
});
after(async () => {
  await session.close();
});
afterEach(async () => {
  if (!current) return;
  const { context, dialogs, requests } = current;
  current = undefined;
  await context.close();
  assert.deepEqual(dialogs, [], "no script ran from catalogue text");
  assert.deepEqual(requests.filter((u) => !u.startsWith(`${session.origin}/`)), [], "nothing left the origin");
});

const CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'`;
const XSS = "<img src=x onerror=alert(1)>";

/** A page of a static site at /site/, with the given body, served over the real dist. */
async function site(body: string, files: Record<string, string> = {}): Promise<Watched> {
  const watched = (current = await open(session));
  const pages: Record<string, string> = {
    "/site/index.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>site</title><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<script type="module" src="/pocketrec/pocketrec.js"></script></head><body>${body}</body></html>`,
    ...files,
  };
  await watched.context.route(`${session.origin}/site/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const content = pages[path];
    return content === undefined
      ? route.fulfill({ status: 404, body: "not found" })
      : route.fulfill({ body: content, contentType: path.endsWith(".html") ? "text/html" : "application/json" });
  });
  await watched.page.goto(`${session.origin}/site/index.html`);
  return watched;
}

const hostile = JSON.stringify({
  items: [
    { id: "a", title: XSS, description: "<script>alert(2)</script> lamp", category: "<b>cat</b>", price: 5, url: "javascript:alert(3)", image: "javascript:alert(4)" },
    { id: "b", title: "Plain lamp", description: "a lamp", category: "<b>cat</b>", price: 7, image: "x.png\" onerror=\"alert(5)" },
  ],
});

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
    assert.equal(src, `${session.origin}/site/x.png%22%20onerror=%22alert(5)`);
    await page.waitForTimeout(200);
    assert.deepEqual(errors.filter((e) => !e.includes("x.png")), []);
  });

  it("similar mode with a model, a link template and weights; works on the main thread too", async () => {
    const { page, errors } = await site(
      `<pocket-recs id="w" catalogue="/demo/shop/catalogue.json" interactions="/demo/shop/interactions.csv" item="tea-003" k="3" href="/p/{id}" heading="You may like"></pocket-recs>
       <pocket-recs id="m" no-worker catalogue="/demo/shop/catalogue.json" item="tea-003" model="content" k="3" weights="content:1"></pocket-recs>`,
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
});
