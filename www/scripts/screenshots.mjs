// The README's screenshots: every demo page at a desktop and a phone size,
// from an already built www/dist (`npm run build` first; this builds
// nothing). `node scripts/screenshots.mjs` (or `npm run screenshots`)
// writes www/screenshots/<page>-desktop.png and <page>-phone.png and
// prints each file's size.
//
// The pages are the ones the accessibility tests check
// (tests/e2e/pages.json); each is shot once it has rendered: its `ready`
// selectors exist and no widget is loading. The demo's data is seeded and
// the figures that time the engine show "… ms" (see STEADY), so the
// pictures change only when the pages do.
// Chinese text (the search box's hint, the playground) needs a CJK font
// installed (Debian: fonts-wqy-microhei or fonts-noto-cjk), else it shows as boxes.
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
  // Every picture in view has arrived and is decoded (lazy ones below the fold never load, and need not).
  await page.waitForFunction(() => {
    const images = [document, ...[...document.querySelectorAll("*")].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []))].flatMap((root) => [...root.querySelectorAll("img")]);
    const inView = images.filter((img) => {
      const box = img.getBoundingClientRect();
      return box.bottom > 0 && box.top < innerHeight && box.width > 0;
    });
    return inView.every((img) => img.complete && img.naturalWidth > 0);
  }, undefined, { timeout: 30_000 });
  // decode() of a lazy image that never loads would never settle: only the loaded ones.
  await page.evaluate(() => Promise.all([...document.images].filter((img) => img.complete).map((img) => img.decode().catch(() => undefined))));
  await page.evaluate((selectors) => {
    const steady = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) node.textContent = node.textContent.replace(/\d[\d.,\u00a0\u202f]* ms\b/g, "… ms");
    };
    for (const element of document.querySelectorAll(selectors.join(","))) steady(element.shadowRoot ?? element);
  }, STEADY);
  // Two frames, so the last layout (lazy pictures, the replaced text) is painted before the shot.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
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
