// The README's screenshots: every demo page at a desktop and a phone size,
// from an already built www/dist (`npm run build` first; this builds
// nothing). `node scripts/screenshots.mjs` (or `npm run screenshots`)
// writes www/screenshots/<page>-desktop.png and <page>-phone.png and
// prints each file's size.
//
// The pages are the ones the accessibility tests check
// (tests/e2e/pages.json); each is shot once it has rendered: its `ready`
// selectors exist and no widget is loading. The demo's data is seeded, so
// the pictures change only when the pages do, except for figures that time
// the engine: those are covered with a neutral placeholder (see STEADY).
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const www = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(www, "screenshots");
const { pages } = JSON.parse(readFileSync(join(www, "tests/e2e/pages.json"), "utf8"));

/** Viewports: a laptop, and a phone (at 1x pixels, which keeps the files small). */
const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
};

/**
 * Timings vary from run to run, so every picture would differ: the
 * milliseconds in these status lines are replaced by "…" before the shot.
 * (Only the number goes; the sentence around it stays.)
 */
const STEADY = ["#engine-status", "#timing", "#fc-status", "#forecast-summary", "#plan-summary", "#segments-summary", "#requests-summary", "pocket-playground"];

/** Waits until the page has rendered, as the accessibility tests do. */
async function rendered(page, ready) {
  for (const selector of ready) await page.waitForSelector(selector, { state: "attached", timeout: 30_000 });
  await page.waitForFunction(() => {
    const widgets = [...document.querySelectorAll("pocket-recs, pocket-playground")];
    const busy = (root) => root.querySelector('[aria-busy="true"]') !== null;
    return !busy(document) && widgets.every((w) => w.dataset.state && w.dataset.state !== "loading" && !(w.shadowRoot && busy(w.shadowRoot)));
  }, undefined, { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  await page.evaluate((selectors) => {
    const steady = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) node.textContent = node.textContent.replace(/\d+(\.\d+)? ms\b/g, "… ms");
    };
    for (const element of document.querySelectorAll(selectors.join(","))) steady(element.shadowRoot ?? element);
  }, STEADY);
}

async function main() {
  const { server, origin } = await serve();
  // Debian's Chromium (or $CHROMIUM), as the end-to-end tests run it; no browser is downloaded.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"] });
  mkdirSync(out, { recursive: true });
  let total = 0;
  try {
    for (const [size, options] of Object.entries(SIZES)) {
      // A fresh context per page: every page is shot as a new visitor sees it.
      for (const { name, path, ready } of pages) {
        const context = await browser.newContext({ ...options, reducedMotion: "reduce", colorScheme: "light" });
        const page = await context.newPage();
        await page.goto(`${origin}/demo/${path}`);
        await rendered(page, ready);
        const file = join(out, `${name}-${size}.png`);
        await page.screenshot({ path: file, animations: "disabled", caret: "hide" });
        const bytes = statSync(file).size;
        total += bytes;
        console.log(`${file.slice(www.length + 1)}  ${(bytes / 1024).toFixed(0)} KiB`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`total ${(total / 1024).toFixed(0)} KiB`);
}

await main();
