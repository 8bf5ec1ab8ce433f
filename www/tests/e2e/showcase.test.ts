/**
 * The demo as a showcase, in Chromium: "Your data" lists every file the page
 * and the engine's worker fetched, as the browser's own network log saw
 * them; the docs page's live examples (`<pocket-playground>`) answer, follow
 * their knobs (by keyboard too) and show their query as code.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clean, stayedHome, suite, type Watched } from "./browser.js";

const { origin, fresh } = suite((watched, origin) => {
  clean(watched);
  stayedHome(watched, origin);
});

/** The rows of "What this page fetched": URL, who fetched it, size text. */
function listed(watched: Watched): Promise<{ url: string; by: string; size: string }[]> {
  return watched.page.$$eval("#requests tbody tr", (rows) => rows.map((r) => ({ url: (r as HTMLElement).dataset.url ?? "", by: (r as HTMLElement).dataset.by ?? "", size: r.querySelector("td:nth-child(3)")?.textContent ?? "" })));
}

describe("Your data", () => {
  it("lists every file the page and the engine's worker fetched, with sizes, as Chromium saw them", async () => {
    const watched = await fresh();
    const { page } = watched;
    await page.goto(`${origin()}/demo/privacy.html`);
    await page.waitForFunction(() => document.getElementById("engine-status")?.textContent?.startsWith("Engine ready"));
    // The icon is the browser's own fetch, outside any page's resource timing: the layout has none to fetch.
    const seen = () => [...new Set(watched.requests.filter((u) => u.startsWith(`${origin()}/`)))];
    try {
      await page.waitForFunction((urls) => urls.every((u) => document.querySelector(`#requests tr[data-url="${CSS.escape(u)}"]`)), seen(), { timeout: 10_000 });
    } catch {
      const rows = new Set((await listed(watched)).map((r) => r.url));
      assert.fail(`Chromium fetched files the page does not list: ${seen().filter((u) => !rows.has(u)).join(", ")}`);
    }
    const rows = await listed(watched);
    const worker = rows.filter((r) => r.by === "engine").map((r) => r.url.split("/").pop());
    assert.ok(worker.includes("pocketrec_query_bg.wasm"), `the worker's wasm module is listed: ${worker.join()}`);
    const table = rows.map((r) => `${r.by} ${r.url} ${r.size}`).join("\n");
    assert.ok(rows.some((r) => /\/shop\/index\/pocketrec-index\.json$/.test(r.url)), `the index manifest is listed:\n${table}`);
    assert.ok(rows.some((r) => r.by === "page" && r.url.endsWith("/demo/privacy.html")), "the page itself");
    for (const row of rows) assert.match(row.size, /^[\d.,]+ (B|kB|MB)$/, `${row.url} has a size`);
    assert.ok(rows.filter((r) => r.url.endsWith(".wasm")).every((r) => !/^0 B$/.test(r.size)), "sizes are real");
    assert.deepEqual(rows.map((r) => r.url).filter((u) => !u.startsWith(`${origin()}/`)), [], "nothing from elsewhere is listed");
    assert.match((await page.locator("#requests-summary").textContent()) ?? "", new RegExp(`^${rows.length} files, .+ in all; all from this site`));
    // Nothing listed that Chromium did not fetch.
    const fetched = new Set(seen());
    assert.deepEqual(rows.map((r) => r.url).filter((u) => !fetched.has(u)), []);
  });
});

/** The docs page's examples, once every one has answered. */
async function docs(watched: Watched): Promise<void> {
  await watched.page.goto(`${origin()}/demo/docs.html`);
  await watched.page.waitForFunction(() => {
    const all = [...document.querySelectorAll("pocket-playground")];
    return all.length > 0 && all.every((e) => e.getAttribute("data-state") === "ready");
  });
}

/** A playground's result ids, reasons and code. */
function example(watched: Watched, id: string) {
  const element = watched.page.locator(`pocket-playground#${id}`);
  return {
    element,
    ids: () => element.evaluate((e) => [...(e.shadowRoot?.querySelectorAll("li") ?? [])].map((li) => (li as HTMLElement).dataset.id ?? "")),
    titles: () => element.locator("li .link").allTextContents(),
    reasons: () => element.locator("li .reason").allTextContents(),
    code: () => element.locator("pre").textContent(),
  };
}

describe("docs page", () => {
  it("explains each model beside a live example with reasons and its query as code", async () => {
    const watched = await fresh();
    await docs(watched);
    const count = await watched.page.locator("pocket-playground").count();
    const names = await watched.page.$$eval("pocket-playground", (all) => all.map((e) => e.id));
    assert.deepEqual(names, ["ex-content", "ex-itemknn", "ex-ease", "ex-sequential", "ex-popular", "ex-hybrid", "ex-search"]);
    assert.equal(count, names.length);
    for (const name of names) {
      const e = example(watched, name);
      const ids = await e.ids();
      assert.ok(ids.length > 0, `${name} has results`);
      assert.equal((await e.reasons()).length, ids.length, `${name}: a reason for every result`);
      assert.match((await e.code()) ?? "", /const engine = await Engine\.create\(\{"indexUrl":"shop\/index\/"\}\);\nconst results = await engine\.\w+\(/);
    }
    const content = example(watched, "ex-content");
    assert.ok((await content.ids()).every((id) => id.startsWith("tea-")), "similar to a teapot, by content");
    assert.match((await content.code()) ?? "", /engine\.similarItems\("tea-003", \{"k":5,"model":"content"\}\)/);
    assert.match((await content.code()) ?? "", /<pocket-recs index="shop\/index\/" mode="similar"\s+item="tea-003" model="content" k="5"><\/pocket-recs>/);
    const sequential = example(watched, "ex-sequential");
    assert.ok((await sequential.titles()).some((t) => /trekking poles/i.test(t)), `after hiking boots: ${(await sequential.titles()).join(" | ")}`);
    const search = example(watched, "ex-search");
    assert.ok((await search.ids()).every((id) => id.startsWith("tea-")), "a search for a ceramic teapot finds tea things");
    assert.equal(watched.page.workers().length, 1, "one engine for every example");
  });

  it("follows its knobs, by keyboard", async () => {
    const watched = await fresh();
    const { page } = watched;
    await docs(watched);
    const itemKnn = example(watched, "ex-itemknn");
    const before = await itemKnn.ids();
    // The item knob: a native select, changed with the keyboard.
    await itemKnn.element.locator("select[name=item]").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction((old) => {
      const e = document.querySelector("pocket-playground#ex-itemknn");
      const ids = [...(e?.shadowRoot?.querySelectorAll("li") ?? [])].map((li) => (li as HTMLElement).dataset.id).join();
      return e?.getAttribute("data-state") === "ready" && ids !== old;
    }, before.join());
    assert.match((await itemKnn.code()) ?? "", /similarItems\("audio-001"/);
    assert.ok((await itemKnn.ids()).every((id) => id !== "audio-001"), "not the item itself");
    // The results knob: a range input, one step right.
    await itemKnn.element.locator("input[name=k]").focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.querySelector("pocket-playground#ex-itemknn")?.shadowRoot?.querySelectorAll("li").length === 6);
    // The model knob, switching item-kNN to content: the list changes, the code follows.
    await itemKnn.element.locator("select[name=model]").selectOption("content");
    await page.waitForFunction(() => /"model":"content"/.test(document.querySelector("pocket-playground#ex-itemknn")?.shadowRoot?.querySelector("pre")?.textContent ?? ""));
    // Every knob has a label (its accessible name).
    const unnamed = await page.$$eval("pocket-playground", (all) => all.flatMap((e) => [...(e.shadowRoot?.querySelectorAll("select, input") ?? [])].filter((c) => !(c as HTMLInputElement).labels?.length).map((c) => c.outerHTML)));
    assert.deepEqual(unnamed, []);
  });
});
