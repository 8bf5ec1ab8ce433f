import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { ERROR_CODES, isErrorCode, PocketrecError } from "../../src/error.js";

describe("error codes", () => {
  it("list every code the Rust side gives (Error::code in src/error.rs)", () => {
    const source = readFileSync(resolve("../src/error.rs"), "utf8");
    const body = /pub fn code\(&self\)[^{]*\{([\s\S]*?)\n    \}/.exec(source)?.[1];
    assert.ok(body, "src/error.rs has `pub fn code(&self)`");
    const rust = [...body.matchAll(/=> "([a-z_]+)"/g)].map((m) => m[1]);
    assert.ok(rust.length >= 9, `codes found: ${rust.join(", ")}`);
    assert.deepEqual(rust.filter((code) => !isErrorCode(code)), [], "codes missing from ERROR_CODES");
  });

  it("tells codes from other strings, and PocketrecError carries one", () => {
    assert.ok(ERROR_CODES.every(isErrorCode));
    assert.equal(isErrorCode("nope"), false);
    assert.equal(isErrorCode(undefined), false);
    const e = new PocketrecError("m", "crashed");
    assert.equal(e.code, "crashed");
    assert.equal(e.name, "PocketrecError");
  });
});
