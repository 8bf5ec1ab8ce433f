/**
 * The npm package as a user gets it: `npm pack` in www/package, then the
 * tarball installed into a fresh temporary project (offline: the package
 * has no dependencies). Shared by the package's tests.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";

/** www/ (the tests run from there). */
export const www = resolve(".");
export const packageFolder = join(www, "package");

export interface Project {
  /** The fresh project's folder; the package is in `node_modules/pocketrec`. */
  dir: string;
  /** The packed tarball. */
  tarball: string;
  /** What `npm pack` put in the tarball (paths inside `package/`). */
  files: string[];
}

/** Packs www/package and installs the tarball into a new project under the system's temp folder. */
export function packedProject(): Project {
  if (!existsSync(join(packageFolder, "dist/cli/pocketrec.wasm"))) {
    throw new Error(`${packageFolder}/dist is not built: run npm run build first`);
  }
  const dir = mkdtempSync(join(tmpdir(), "pocketrec-site-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: packageFolder, encoding: "utf8" })) as { filename: string; files: { path: string }[] }[];
  const info = packed[0];
  if (!info) throw new Error("npm pack reported nothing");
  const tarball = join(dir, info.filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "a-static-shop", private: true, type: "module" }, null, 2));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  return { dir, tarball, files: info.files.map((f) => f.path) };
}

/**
 * A PATH with Node and npm and the system's tools but no Rust: every
 * folder that holds `cargo` or `rustc` is left out.
 */
export function pathWithoutRust(): string {
  const node = dirname(process.execPath);
  const folders = [node, ...(process.env.PATH ?? "").split(delimiter)];
  const kept = folders.filter((folder, i) => folders.indexOf(folder) === i && !["cargo", "rustc", "rustup"].some((tool) => existsSync(join(folder, tool))));
  if (!kept.includes(node)) throw new Error(`node's own folder ${node} also holds a Rust tool; cannot hide Rust`);
  return kept.join(delimiter);
}

/** Runs `npx pocketrec …args` in `dir` as a user would, with no Rust on PATH. */
export function npxPocketrec(dir: string, args: string[]): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutRust() };
  for (const name of ["CARGO", "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "CARGO_TARGET_DIR"]) delete env[name];
  return spawnSync("npx", ["--offline", "--no-install", "pocketrec", ...args], { cwd: dir, env, encoding: "utf8" });
}

/** Every file under `dir`, with its size in bytes. */
export function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { path, bytes: statSync(path).size };
    });
}
