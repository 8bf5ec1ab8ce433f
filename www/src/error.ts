/** The shell's one error type. */

/** Every error the shell raises; `code` is stable (`load_failed`, `invalid_json`, `unknown_item`, …). */
export class PocketrecError extends Error {
  override readonly name = "PocketrecError";
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
