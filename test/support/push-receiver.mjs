// A receiver of CCC's data pushes, as an app would write one with the shipped ccc-sdk/push: a node:http server on
// 127.0.0.1 serving the push handler through toNodeHandler at /ccc/push and, for the OAuth mode, the token
// endpoint at /oauth/token. Started by test/support/push-receiver.ts with one JSON argument:
//   { pushModule: <the built push entry>, auth: "none" | "basic" | "bearer" | "oauth", username?, password?,
//     token?, clientId?, clientSecret?, failFirst?: N (the handler throws on its first N calls), delayMs?: N }
// It reports on stdout, one JSON line each: {event:"listening",port}, {event:"call",action,pushId,payload},
// {event:"refused",status,message}. It exits when stdin closes.
import http from "node:http";
import { pathToFileURL } from "node:url";

const config = JSON.parse(process.argv[2]);
const { createPushHandler, createTokenEndpoint, toNodeHandler } = await import(pathToFileURL(config.pushModule).href);
const report = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const tokens =
  config.auth === "oauth"
    ? createTokenEndpoint({ clients: [{ clientId: config.clientId, clientSecret: config.clientSecret }] })
    : undefined;
const auth = {
  none: { none: true },
  basic: { basic: { username: config.username, password: config.password } },
  bearer: { bearer: config.token },
  oauth: { bearer: tokens?.verify },
}[config.auth];

let calls = 0;
const handle = (action) => async (payload, context) => {
  calls++;
  if (config.delayMs) await new Promise((resolve) => setTimeout(resolve, config.delayMs));
  report({ event: "call", action, pushId: context.pushId, payload });
  if (calls <= (config.failFirst ?? 0)) throw new Error(`scripted failure ${calls}`);
};
const push = toNodeHandler(
  createPushHandler({
    auth,
    onCdr: handle("cdr"),
    onRecord: handle("record"),
    onVoicemail: handle("voicemail"),
    onError: (e) => report({ event: "refused", status: e.status, message: e.message }),
  }),
);
const token = tokens && toNodeHandler(tokens.handle);

const server = http.createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/ccc/push") return push(req, res);
  if (path === "/oauth/token" && token) return token(req, res);
  res.writeHead(404).end();
});
server.listen(0, "127.0.0.1", () => report({ event: "listening", port: server.address().port }));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
