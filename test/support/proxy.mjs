#!/usr/bin/env node
// A forward HTTP proxy for the SDK's proxy tests, run as its own process on 127.0.0.1: CONNECT tunnels (for https
// endpoints) and absolute-form requests (for http ones), each reported on stdout as one JSON line:
//   {"event":"listening","port":N}
//   {"event":"connect","target":"127.0.0.1:443","auth":"Basic ..."|null,"status":200}
//   {"event":"forward","method":"POST","url":"http://127.0.0.1:8080/","host":"127.0.0.1:8080","auth":...,"status":200}
// With a configuration argument {"auth":"user:password"} requests without that Proxy-Authorization are answered
// 407. It forwards only to 127.0.0.1 (anything else is answered 403), and never retries.

import http from "node:http";
import net from "node:net";

const config = JSON.parse(process.argv[2] ?? "{}");
const expected = config.auth ? `Basic ${Buffer.from(config.auth).toString("base64")}` : undefined;
const report = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const loopback = (host) => host === "127.0.0.1" || host === "localhost";

const server = http.createServer((req, res) => {
  const auth = req.headers["proxy-authorization"] ?? null;
  let target;
  try {
    target = new URL(req.url);
  } catch {
    target = undefined;
  }
  const status = expected && auth !== expected ? 407 : !target || !loopback(target.hostname) ? 403 : 200;
  report({ event: "forward", method: req.method, url: req.url, host: req.headers.host ?? null, auth, status });
  if (status !== 200) {
    res.writeHead(status, { "content-type": "text/plain", "proxy-authenticate": "Basic" }).end(`proxy: ${status}\n`);
    return;
  }
  const headers = { ...req.headers };
  delete headers["proxy-authorization"];
  delete headers["proxy-connection"];
  const upstream = http.request(
    {
      hostname: target.hostname,
      port: target.port || 80,
      path: target.pathname + target.search,
      method: req.method,
      headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.writeHead(502).end());
  req.pipe(upstream);
});

server.on("connect", (req, client, head) => {
  const auth = req.headers["proxy-authorization"] ?? null;
  const [host, port] = [
    req.url.slice(0, req.url.lastIndexOf(":")),
    Number(req.url.slice(req.url.lastIndexOf(":") + 1)),
  ];
  const status = expected && auth !== expected ? 407 : loopback(host) ? 200 : 403;
  report({ event: "connect", target: req.url, auth, status });
  if (status !== 200) {
    client.end(`HTTP/1.1 ${status} ${status === 407 ? "Proxy Authentication Required" : "Forbidden"}\r\n\r\n`);
    return;
  }
  const upstream = net.connect(port, host, () => {
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    client.destroy();
  };
  upstream.on("error", close);
  client.on("error", close);
});

server.listen(0, "127.0.0.1", () => report({ event: "listening", port: server.address().port }));
// A "sync" line on stdin is answered {"event":"synced"} after every event reported before it: the test process
// reads stdout in order, so once it sees the answer it has all of them.
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  for (const line of chunk.split("\n")) if (line.trim() === "sync") report({ event: "synced" });
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
