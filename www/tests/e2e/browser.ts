/**
 * End-to-end test harness: serves www/dist on a free local port and drives
 * Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) with playwright-core.
 * No browser is ever downloaded. Every page opened through `open` records
 * console errors, uncaught exceptions, CSP violations and every request,
 * so tests can assert that none went wrong and none left the origin.
 */
import { createServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import assert from "node:assert/strict";
import { after, afterEach, before } from "node:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import sirv from "sirv";

export const dist = resolve("dist");

export interface Session {
  origin: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Debian's Chromium (or $CHROMIUM), headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    // Quiet, offline-friendly flags: no sandbox (containers run as root), no
    // background fetches of components, sync or first-run pages.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps"],
  });
}

export async function start(): Promise<Session> {
  if (!existsSync(resolve(dist, "demo/index.html"))) {
    throw new Error(`${dist} is not built: run npm run build first`);
  }
  const files = sirv(dist, { dev: true });
  const server: Server = createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      res.end("not found");
    }),
  );
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const browser = await launchChromium();
  return {
    origin,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** What happened on a page that a test should look at. */
export interface Watched {
  page: Page;
  context: BrowserContext;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** A fresh context (empty storage) and page, watched. */
export async function open(session: Session): Promise<Watched> {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  const watched: Watched = { page, context, errors: [], requests: [], dialogs: [] };
  page.on("console", (m) => {
    if (m.type() === "error") watched.errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => watched.errors.push(`uncaught: ${e.message}`));
  page.on("dialog", (d) => {
    watched.dialogs.push(d.message());
    void d.dismiss();
  });
  context.on("request", (r) => watched.requests.push(r.url()));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return watched;
}

/** Ids shown by the `<pocket-recs>` with this id, once it is ready (or empty). */
export async function shown(page: Page, id: string): Promise<string[]> {
  const selector = `pocket-recs#${id}`;
  await page.waitForSelector(`${selector}[data-state="ready"], ${selector}[data-state="empty"], ${selector}[data-state="error"]`, { timeout: 15_000 });
  return page.$eval(selector, (e) => [...(e.shadowRoot?.querySelectorAll("li") ?? [])].map((li) => li.dataset.id ?? ""));
}

/** Ids of a strip after it has shown something other than `before`. */
export async function changed(page: Page, id: string, before: readonly string[]): Promise<string[]> {
  await page.waitForFunction(
    ([id, before]) => {
      const e = document.querySelector(`pocket-recs#${id}`) as HTMLElement | null;
      const ids = [...(e?.shadowRoot?.querySelectorAll("li") ?? [])].map((li) => li.dataset.id ?? "");
      return e?.dataset.state === "ready" && ids.join() !== before.join();
    },
    [id, [...before]] as const,
    { timeout: 15_000 },
  );
  return shown(page, id);
}

/** No console errors (CSP violations among them) and no dialogs (script run from data). */
export function clean(watched: Watched): void {
  assert.deepEqual(watched.errors, [], "console errors");
  assert.deepEqual(watched.dialogs, [], "dialogs (script ran from data?)");
}

/** Nothing was fetched from another origin than `origin` (data: URLs aside). */
export function stayedHome(watched: Watched, origin: string): void {
  const foreign = watched.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:"));
  assert.deepEqual(foreign, [], "requests that left the page's origin");
}

/**
 * The hooks every end-to-end file shares: one server and Chromium for the
 * file, and a fresh watched page per test (`fresh()`), whose context is
 * closed after the test before `check` asserts on what was watched
 * (default: `clean`). `origin()` is the server's origin.
 */
export function suite(check: (watched: Watched, origin: string) => void = clean): { origin: () => string; fresh: () => Promise<Watched> } {
  let session: Session | undefined;
  let current: Watched | undefined;
  const started = (): Session => {
    if (!session) throw new Error("the suite's browser is not started yet");
    return session;
  };
  before(async () => {
    session = await start();
  });
  after(async () => {
    await session?.close();
  });
  afterEach(async () => {
    const watched = current;
    current = undefined;
    if (!watched) return;
    await watched.context.close();
    check(watched, started().origin);
  });
  return {
    origin: () => started().origin,
    fresh: async () => (current = await open(started())),
  };
}
