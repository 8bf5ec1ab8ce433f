/** The shell's one error type, and every code it can carry. */

/**
 * Every `PocketrecError.code`, so callers can branch on it exhaustively.
 *
 * From the wasm modules (`Error::code` in src/error.rs; a unit test checks
 * this list against that file):
 * - `invalid_json`: a catalogue, interactions or config that is not valid JSON (with line and column);
 * - `invalid_value`: a value of the wrong type or out of range (also the widget's attributes, blend weights);
 * - `invalid_csv`: an interactions CSV row that cannot be read (with the line);
 * - `duplicate_id`: two catalogue items with one id;
 * - `unknown_item`: a query names an item that is not in the catalogue;
 * - `invalid_config`: a config or option outside its documented range;
 * - `empty_input`: nothing to fit or forecast;
 * - `limit_exceeded`: input larger than the engine accepts;
 * - `forecast_unfit`: no forecasting model fits the series;
 * - `bad_index`: a model index file is missing, truncated, corrupt, of another
 *   format version, or does not match its hash (the message names the file).
 *
 * From the shell:
 * - `load_failed`: a file could not be fetched (network, HTTP status);
 * - `crashed`: the wasm module stopped on an internal error and is not used again;
 * - `not_loaded`: a query reached a worker before its shop was loaded;
 * - `internal`: anything else (a bug).
 */
export const ERROR_CODES = [
  "invalid_json",
  "invalid_value",
  "invalid_csv",
  "duplicate_id",
  "unknown_item",
  "invalid_config",
  "empty_input",
  "limit_exceeded",
  "forecast_unfit",
  "bad_index",
  "load_failed",
  "crashed",
  "not_loaded",
  "internal",
] as const;

/** One of `ERROR_CODES`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Whether `code` is one of `ERROR_CODES` (codes arrive as strings from wasm and across the worker channel). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(code);
}

/** Every error the shell raises; `code` is stable (see `ErrorCode`). */
export class PocketrecError extends Error {
  override readonly name = "PocketrecError";
  readonly code: ErrorCode;

  constructor(message: string, code: ErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
