/**
 * The messages between the page and the engine's Web Worker, and the worker
 * side that answers them. Requests carry an id; replies carry the same id
 * and either a value or an error (message and stable code, since Error
 * objects lose their properties when posted). Progress goes out with id 0.
 */
import { PocketrecError, Shop, type Progress, type ShopSource, type WasmExports } from "./core.js";

/** What may be asked of a shop. */
export type Method = "load" | "similarItems" | "recommend" | "popular" | "search" | "free";

export interface Request {
  id: number;
  method: Method;
  args: unknown[];
}

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { message: string; code: string } }
  | { id: 0; progress: Progress };

/** The part of `MessagePort` / `Worker` / worker `self` used here. */
export interface PortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** Answers requests arriving on `port` with one shop, loaded on "load".
 * `fetchFn` replaces the global fetch (tests, custom hosts). */
export function serve(port: PortLike, wasm: Promise<WasmExports>, fetchFn?: typeof fetch): void {
  let shop: Shop | undefined;
  const answer = async (request: Request): Promise<unknown> => {
    const [a, b] = request.args;
    if (request.method === "load") {
      shop?.free();
      const source = a as Omit<ShopSource, "fetch" | "onProgress">;
      const onProgress = (progress: Progress) => port.postMessage({ id: 0, progress } satisfies Reply);
      shop = await Shop.load(await wasm, { ...source, ...(fetchFn ? { fetch: fetchFn } : {}), onProgress });
      return { items: shop.itemIds().length, warnings: shop.warnings };
    }
    if (!shop) {
      throw new PocketrecError("the shop is not loaded yet", "not_loaded");
    }
    switch (request.method) {
      case "similarItems":
        return shop.similarItems(a as string, b as never);
      case "recommend":
        return shop.recommend(a as never, b as never);
      case "popular":
        return shop.popular(a as never);
      case "search":
        return shop.search(a as string, b as never);
      case "free":
        shop.free();
        shop = undefined;
        return null;
    }
  };
  port.onmessage = (event: MessageEvent) => {
    const request = event.data as Request;
    answer(request).then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies Reply),
      (e: unknown) => {
        const error = e instanceof PocketrecError ? { message: e.message, code: e.code } : { message: String(e instanceof Error ? e.message : e), code: "internal" };
        port.postMessage({ id: request.id, ok: false, error } satisfies Reply);
      },
    );
  };
}
