/** The engine's Web Worker: loads the wasm module and serves one shop. */
import init, * as pocketrec from "../pkg/pocketrec.js";
import { serve, type PortLike } from "./protocol.js";

serve(self as unknown as PortLike, init().then(() => pocketrec));
