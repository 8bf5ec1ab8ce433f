// Serves www/dist on a local port (sirv: a small, well-kept static file
// server; it sends .wasm as application/wasm, which streaming compilation
// needs). `node scripts/serve.mjs [port]`; PORT also works; default 8080,
// or the next free port.
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import sirv from "sirv";

const www = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Starts a server for `dir` on `port` (0: any free port); resolves to its origin. */
export function serve(dir = join(www, "dist"), port = 0, host = "127.0.0.1") {
  const files = sirv(dir, { dev: true, etag: true });
  const server = createServer((req, res) => files(req, res, () => {
    res.statusCode = 404;
    res.setHeader("content-type", "text/plain; charset=utf-8");
    res.end(`not found: ${req.url}\n`);
  }));
  return new Promise((resolveServer, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolveServer({ server, origin: `http://${host}:${address.port}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  for (;;) {
    try {
      const { origin } = await serve(undefined, port);
      console.log(`\npocketrec demo shop: ${origin}/demo/\n(serving ${join(www, "dist")}; Ctrl-C stops it)`);
      break;
    } catch (e) {
      if (e.code !== "EADDRINUSE" || port > 8100) throw e;
      port += 1;
    }
  }
}
