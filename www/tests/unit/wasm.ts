import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { WasmExports } from "../../src/core.js";

/** The real wasm module, as built into www/pkg by scripts/build-wasm.sh. */
export async function loadWasm(): Promise<WasmExports> {
  const pkg = resolve("pkg");
  const module = await import(pathToFileURL(`${pkg}/pocketrec.js`).href);
  await module.default({ module_or_path: readFileSync(`${pkg}/pocketrec_bg.wasm`) });
  return module;
}
