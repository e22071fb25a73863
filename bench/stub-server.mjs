/**
 * The benchmark's stand-in for ccc.tencentcloudapi.com: answers every request on any path at once with
 * `{"Response":{"RequestId":"<uuid>"}}` (application/json, HTTP 200), keep-alive, no checks.
 * Listens on 127.0.0.1 only, prints `{"port":N}` on stdout, and exits when its stdin closes (the bench's end, or
 * the bench dying) or on SIGTERM/SIGINT.
 *
 *   node bench/stub-server.mjs [port]
 */
import http from "node:http";
import { randomUUID } from "node:crypto";

const server = http.createServer((req, res) => {
  const body = `{"Response":{"RequestId":"${randomUUID()}"}}`;
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
  req.resume();
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

const stop = () => {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();

server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
