/**
 * Accessibility in a real browser: axe-core's WCAG 2.1 A/AA rules (and its
 * best practices) on every demo page once it has rendered, and on
 * `<pocket-recs>` in each of its states on a plain page; and the pages used
 * by keyboard alone, with focus always visible.
 *
 * axe goes in through CDP evaluation, which the pages' CSP does not apply
 * to, so the CSP stays as strict as it is everywhere else, and the tests
 * still fail on any CSP violation.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { Result as AxeResult, NodeResult } from "axe-core";
import { suite, type Watched } from "./browser.js";

/** The demo's pages: one list, shared with scripts/screenshots.mjs. */
interface DemoPage {
  name: string;
  path: string;
  ready: string[];
}
const { pages } = JSON.parse(readFileSync("tests/e2e/pages.json", "utf8")) as { pages: DemoPage[] };

/** WCAG 2.0 and 2.1, levels A and AA, and axe's best practices (headings, landmarks, regions). */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Every test ends without console errors (CSP violations among them) and without dialogs. */
const { origin, fresh } = suite();

/** Waits until `ready` selectors exist and no widget is loading or busy. */
async function rendered(page: Page, ready: readonly string[]): Promise<void> {
  for (const selector of ready) await page.waitForSelector(selector, { state: "attached", timeout: 20_000 });
  await page.waitForFunction(() => {
    const widgets = [...document.querySelectorAll<HTMLElement>("pocket-recs, pocket-playground")];
    const busy = (root: Document | ShadowRoot) => root.querySelector('[aria-busy="true"]') !== null;
    return !busy(document) && widgets.every((w) => w.dataset.state && w.dataset.state !== "loading" && !(w.shadowRoot && busy(w.shadowRoot)));
  }, undefined, { timeout: 20_000 });
}

/** A node's place: its selector, with ` >> ` at each shadow root. */
function target(node: NodeResult): string {
  return node.target.map((part) => (Array.isArray(part) ? part.join(" >> ") : part)).join(" | ");
}

/** Violations, one block each: rule, impact, help, then every node's target and markup. */
function report(violations: readonly AxeResult[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    - ${target(n)}\n      ${n.html.replace(/\s+/g, " ").slice(0, 240)}\n      ${(n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 300)}`);
      return `  ${v.id} (${v.impact ?? "?"}, ${v.nodes.length} node${v.nodes.length === 1 ? "" : "s"}): ${v.help}\n${nodes.join("\n")}`;
    })
    .join("\n");
}

/**
 * axe's findings on the page as it is now (shadow roots included, as axe
 * does by default): its violations, and what it could not decide ("needs
 * review"), except colour contrast of SVG chart text drawn over shapes,
 * which it can never decide (those colours are checked in chart.ts).
 */
async function audit(page: Page): Promise<AxeResult[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
    const results = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"] });
    const undecided = results.incomplete
      .map((r) => ({ ...r, id: `${r.id} (needs review)`, nodes: r.nodes.filter((n) => !(r.id === "color-contrast" && n.html.startsWith("<text"))) }))
      .filter((r) => r.nodes.length > 0);
    return [...results.violations, ...undecided];
  }, TAGS);
}

async function assertAccessible(page: Page, what: string): Promise<void> {
  const violations = await audit(page);
  assert.equal(violations.length, 0, `axe found ${violations.length} kind(s) of violation on ${what}:\n${report(violations)}`);
}

describe("accessibility (axe-core)", () => {
  for (const { name, path, ready } of pages) {
    it(`${name} (${path}) has no violations`, async () => {
      const { page } = await fresh();
      await page.goto(`${origin()}/demo/${path}`);
      await rendered(page, ready);
      await assertAccessible(page, path);
    });
  }

  it("every page stays as legible with a dark colour-scheme preference (the demo keeps its light scheme)", async () => {
    const { page } = await fresh();
    await page.emulateMedia({ colorScheme: "dark" });
    for (const { path, ready } of pages) {
      await page.goto(`${origin()}/demo/${path}`);
      await rendered(page, ready);
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), "light", "form controls stay light too");
      await assertAccessible(page, `${path} (dark preference)`);
    }
  });

  it("every page reflows at 320 CSS pixels wide: nothing scrolls sideways but the boxes meant to (WCAG 1.4.10)", async () => {
    const { page } = await fresh();
    await page.setViewportSize({ width: 320, height: 640 });
    for (const { path, ready } of pages) {
      await page.goto(`${origin()}/demo/${path}`);
      await rendered(page, ready);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 320, `${path} is ${wide} px wide at 320`);
    }
  });

  it("the shop and a product page with a visitor's history (warm strips) have no violations", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/product.html?id=outdoor-001`);
    await rendered(page, ["pocket-recs#for-you li"]);
    await page.reload();
    await rendered(page, ["pocket-recs#for-you li"]);
    await assertAccessible(page, "product.html with a history");
    await page.goto(`${origin()}/demo/index.html`);
    await rendered(page, ["#grid li", "pocket-recs#for-you li"]);
    await assertAccessible(page, "index.html with a history");
  });

  it("<pocket-recs> on a plain page: ready with cards, error and empty, with and without headings", async () => {
    const watched = await fresh();
    const CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'`;
    const body = `<main><h1>A site</h1>
      <pocket-recs id="ready" index="/demo/shop/index/" link-base="/demo/shop/" item="tea-003" k="3" heading="You may like"></pocket-recs>
      <pocket-recs id="bare" index="/demo/shop/index/" link-base="/demo/shop/" mode="trending" k="2"></pocket-recs>
      <pocket-recs id="error" index="/site/nowhere/" mode="trending" heading="Popular"></pocket-recs>
      <pocket-recs id="empty" index="/demo/shop/index/" link-base="/demo/shop/" mode="personal" cold-start="message" heading="For you"></pocket-recs>
      <pocket-recs id="none" index="/demo/shop/index/" link-base="/demo/shop/" mode="trending" category="no-such-category"></pocket-recs></main>`;
    await watched.context.route(`${origin()}/site/**`, (route) =>
      new URL(route.request().url()).pathname === "/site/index.html"
        ? route.fulfill({
            contentType: "text/html",
            body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A site</title><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="${CSP}"><script type="module" src="/pocketrec/pocketrec.js"></script></head><body>${body}</body></html>`,
          })
        : route.fulfill({ status: 404, body: "not found" }),
    );
    const { page } = watched;
    await page.goto(`${origin()}/site/index.html`);
    await rendered(page, ["pocket-recs#ready li", "pocket-recs#bare li", "pocket-recs#error[data-state=error]", "pocket-recs#empty[data-state=empty]", "pocket-recs#none[data-state=empty]"]);
    // The index that is not there is a console error the test expects; nothing else is.
    watched.errors.splice(0, watched.errors.length, ...watched.errors.filter((e) => !/404|nowhere/.test(e)));
    await assertAccessible(page, "a plain page's <pocket-recs>");
  });
});

/** Where keyboard focus is, looked for through shadow roots, and whether it shows. */
interface Focus {
  /** `tag#id.class` of the focused element, after its shadow hosts' (`host >> element`). */
  path: string;
  /** The part of the page it is in: the nearest `nav` or element with an id (through shadow hosts), else itself. */
  where: string;
  /** Its aria-label, else its text, else its name attribute. */
  name: string;
  /** A form control's name attribute ("" for others). */
  control: string;
  /** Whether it carries an outline or a box shadow. */
  visible: boolean;
  /** Whether any of it is inside the viewport. */
  onScreen: boolean;
}

async function focus(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const describe = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${[...e.classList].map((c) => `.${c}`).join("")}`;
    let element = document.activeElement;
    const outer = element;
    const path: string[] = [];
    while (element?.shadowRoot?.activeElement) {
      path.push(describe(element));
      element = element.shadowRoot.activeElement;
    }
    if (!element || !outer || element === document.body) return { path: "body", where: "body", name: "", control: "", visible: false, onScreen: false };
    path.push(describe(element));
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const box = element.getBoundingClientRect();
    return {
      path: path.join(" >> "),
      where: describe(outer.closest("nav, [id]") ?? outer),
      name: (element.getAttribute("aria-label") ?? element.textContent?.trim() ?? "").slice(0, 60) || (element.getAttribute("name") ?? ""),
      control: element.getAttribute("name") ?? "",
      visible: outline || style.boxShadow !== "none",
      onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight,
    };
  });
}

/** Presses Tab until `stop` holds (at most `limit` times); every stop, in order. */
async function tabUntil(page: Page, stop: (f: Focus) => boolean, limit = 80): Promise<Focus[]> {
  const stops: Focus[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const f = await focus(page);
    stops.push(f);
    if (stop(f)) return stops;
  }
  assert.fail(`focus never got there in ${limit} presses of Tab:\n${stops.map((f) => `${f.where}: ${f.path}`).join("\n")}`);
}

function assertVisible(stops: readonly Focus[]): void {
  const hidden = stops.filter((f) => !f.visible || !f.onScreen);
  assert.deepEqual(hidden, [], "every focused element shows a focus indicator, on screen");
}

/** The parts focus went through, in order, each once however many stops it had. */
function parts(stops: readonly Focus[]): string[] {
  return stops.map((f) => f.where).filter((w, i, all) => w !== all[i - 1]);
}

describe("keyboard", () => {
  it("the shop: skip link first, then the brand and nav, search, the strips' cards, the departments, the grid; focus always visible", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/index.html`);
    await rendered(page, pages.find((p) => p.name === "shop")?.ready ?? []);
    const stops = await tabUntil(page, (f) => f.where === "ul#grid.grid");
    assert.deepEqual(parts(stops), ["a.skip", "a.brand", "nav", "input#q", "form#search.search", "pocket-recs#trending", "div#departments.chips", "ul#grid.grid"]);
    assert.equal(stops[0]?.name, "Skip to content");
    assert.equal(stops.filter((f) => f.where === "nav").length, 5);
    assert.equal(stops.filter((f) => f.where === "pocket-recs#trending").length, 6, "one stop per card: the card is one link");
    assert.ok(stops.filter((f) => f.where === "div#departments.chips").length > 2);
    assertVisible(stops);
    // The skip link skips: Enter on it, and the next Tab is in the page's main content.
    await page.reload();
    await rendered(page, pages.find((p) => p.name === "shop")?.ready ?? []);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    assert.equal((await focus(page)).path, "input#q");
    // A department chip works by keyboard.
    await page.locator("#departments button").nth(1).focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("#departments button").nth(1).getAttribute("aria-pressed"), "true");
  });

  it("the owner's page: the plan's sort buttons are reached by Tab and sort with Enter and Space", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/owner.html`);
    await rendered(page, pages.find((p) => p.name === "owner")?.ready ?? []);
    const stops = await tabUntil(page, (f) => f.path === "button.sort" && f.name.startsWith("revenue"), 120);
    assertVisible(stops);
    assert.ok(stops.some((f) => f.where === "form#desk.knobs") && stops.some((f) => f.where === "table#abc-xyz.results-table.matrix"), parts(stops).join(", "));
    const header = page.locator('#plan th[data-key="revenue"]');
    await page.keyboard.press("Enter");
    assert.equal(await header.getAttribute("aria-sort"), "descending");
    await page.keyboard.press("Space");
    assert.equal(await header.getAttribute("aria-sort"), "ascending");
    assert.equal((await focus(page)).name.startsWith("revenue"), true, "focus stays on the header's button after sorting");
  });

  it("the playground's knobs: every control in order by Tab, and the keyboard changes the query", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/playground.html`);
    await rendered(page, pages.find((p) => p.name === "playground")?.ready ?? []);
    const stops = await tabUntil(page, (f) => f.control === "maxPrice");
    const knobs = stops.filter((f) => f.where === "form#knobs.knobs").map((f) => f.control);
    assert.deepEqual(knobs.slice(0, 3), ["ask", "item", "text"], knobs.join());
    for (const name of ["model", "k", "diversity", "category", "inStockOnly", "minPrice", "maxPrice"]) assert.ok(knobs.includes(name), `${name} in ${knobs.join()}`);
    assertVisible(stops);
    await page.locator("input[name=k]").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelectorAll("#results tbody tr").length === 7);
  });

  it("the docs' <pocket-playground> knobs: reached by Tab inside the element, and they change its list", async () => {
    const { page } = await fresh();
    await page.goto(`${origin()}/demo/docs.html`);
    await rendered(page, pages.find((p) => p.name === "docs")?.ready ?? []);
    const stops = await tabUntil(page, (f) => f.path.startsWith("pocket-playground") && f.control === "k");
    const inside = stops.filter((f) => f.path.startsWith("pocket-playground"));
    assert.deepEqual(inside.map((f) => f.control), ["item", "k"], "the first example's knobs");
    assertVisible(stops);
    const first = page.locator("pocket-playground").first();
    const before = await first.locator("li").count();
    await page.keyboard.press("ArrowLeft");
    await page.waitForFunction((n) => document.querySelector("pocket-playground")?.shadowRoot?.querySelectorAll("li").length === n - 1, before);
    await page.keyboard.press("Shift+Tab");
    assert.equal((await focus(page)).control, "item");
    const code = await first.locator("pre").textContent();
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction((c) => document.querySelector("pocket-playground")?.shadowRoot?.querySelector("pre")?.textContent !== c, code);
  });
});
