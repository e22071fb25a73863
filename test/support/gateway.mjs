#!/usr/bin/env node
// A raw node:net (or node:tls) HTTP/1.1 server that behaves the way real gateways and hostile peers do, for the
// SDK's connection tests. It runs as its own process on 127.0.0.1 and reports on stdout, one JSON object a line:
//   {"event":"listening","port":N}
//   {"event":"connection","conn":N}
//   {"event":"request","conn":N,"body":"..."}        (a whole request was read)
//   {"event":"closed","conn":N,"by":"server"|"client"}
// Configuration is one JSON argument (see Config below). It never connects anywhere; every timer is bounded.
//
//   node test/support/gateway.mjs '{"mode":"answer","closeAfterAnswer":true}'

import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";

/**
 * @typedef {object} Config
 * @property {"answer"|"huge"|"endless"|"stall-after-read"|"reset-on-accept"|"silent"|"garbage"} mode
 *   answer: a valid CCC answer per request; huge: announces `hugeBytes` and streams them; endless: a chunked answer
 *   that never ends; stall-after-read: reads the request and never answers; reset-on-accept: destroys each
 *   connection at once; silent: accepts and never sends a byte (for TLS: the handshake never completes);
 *   garbage: sends a plain-text HTTP answer as soon as a connection opens (what a TLS client sees from a plain port).
 * @property {boolean} [closeAfterAnswer] close the connection right after each answer, without `Connection: close`
 * @property {number} [idleCloseMs] close a connection that has been idle this long
 * @property {"none"|"keep-alive"|string} [announce] `keep-alive` sends `Connection: keep-alive`; `timeout=N` also
 *   sends `Keep-Alive: timeout=N`; default none (HTTP/1.1 persistence without a word)
 * @property {string} [answerBody] the JSON answered (default `{"Response":{"RequestId":"gw-<n>"}}`)
 * @property {number} [answerNestedDepth] answer a list nested this deep instead (`[[[…]]]`)
 * @property {number} [hugeBytes] the Content-Length of a huge answer
 * @property {number} [answerDelayMs] wait before answering
 * @property {{cert:string,key:string}} [tls] files of a certificate and key: serve TLS
 */

/** @type {Config} */
const config = JSON.parse(process.argv[2] ?? '{"mode":"answer"}');
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const MAX_LIFETIME_MS = 10 * 60_000;
setTimeout(() => process.exit(0), MAX_LIFETIME_MS).unref();

let connections = 0;
let answered = 0;

function headersFor(bodyLength, extra = "") {
  let head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${bodyLength}\r\n`;
  if (config.announce === "keep-alive") head += "Connection: keep-alive\r\n";
  else if (config.announce?.startsWith("timeout="))
    head += `Connection: keep-alive\r\nKeep-Alive: ${config.announce}\r\n`;
  return `${head}${extra}\r\n`;
}

/** Splits complete requests off `buffer` (Content-Length bodies only, as the SDK sends). */
function takeRequest(state) {
  const end = state.buffer.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const head = state.buffer.subarray(0, end).toString("latin1");
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
  if (state.buffer.length < end + 4 + length) return undefined;
  const body = state.buffer.subarray(end + 4, end + 4 + length).toString("utf8");
  state.buffer = state.buffer.subarray(end + 4 + length);
  return { head, body };
}

function streamHuge(socket) {
  const total = config.hugeBytes ?? 600 * 1024 * 1024;
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x20); // spaces: valid JSON whitespace, never a complete document
  let sent = 0;
  const pump = () => {
    while (sent < total && !socket.destroyed) {
      sent += chunk.length;
      if (!socket.write(chunk)) return socket.once("drain", pump);
    }
  };
  pump();
}

function streamEndless(socket) {
  socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
  const pump = () => {
    while (!socket.destroyed) if (!socket.write(frame)) return socket.once("drain", pump);
  };
  pump();
}

function answer(socket, state, request) {
  answered++;
  const body = Buffer.from(
    config.answerNestedDepth
      ? `${"[".repeat(config.answerNestedDepth)}${"]".repeat(config.answerNestedDepth)}`
      : (config.answerBody ?? `{"Response":{"RequestId":"gw-${answered}"}}`),
  );
  const send = () => {
    if (socket.destroyed) return;
    if (config.closeAfterAnswer) {
      state.closing = true;
      socket.end(Buffer.concat([Buffer.from(headersFor(body.length)), body]), () => {
        emit({ event: "closed", conn: state.id, by: "server" });
        socket.destroy();
      });
      return;
    }
    socket.write(Buffer.concat([Buffer.from(headersFor(body.length)), body]));
    armIdleClose(socket, state);
  };
  void request;
  if (config.answerDelayMs) setTimeout(send, config.answerDelayMs);
  else send();
}

function armIdleClose(socket, state) {
  if (!config.idleCloseMs) return;
  clearTimeout(state.idle);
  state.idle = setTimeout(() => {
    state.closing = true;
    emit({ event: "closed", conn: state.id, by: "server" });
    socket.destroy();
  }, config.idleCloseMs);
}

/** TCP connections, counted as they open (for TLS too, where a failed handshake never reaches onConnection). */
function onTcpConnection() {
  emit({ event: "connection", conn: ++connections });
}

function onConnection(socket) {
  const state = { id: connections, buffer: Buffer.alloc(0), closing: false, idle: undefined };
  socket.on("error", () => {});
  socket.on("close", () => {
    clearTimeout(state.idle);
    if (!state.closing) emit({ event: "closed", conn: state.id, by: "client" });
  });
  switch (config.mode) {
    case "reset-on-accept":
      state.closing = true;
      socket.resetAndDestroy();
      return;
    case "silent":
      return; // holds the connection open and says nothing
    case "garbage":
      socket.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
      return;
  }
  armIdleClose(socket, state);
  socket.on("data", (data) => {
    if (state.closing) return; // a gateway that closed a connection reads no more requests on it
    clearTimeout(state.idle);
    state.buffer = Buffer.concat([state.buffer, data]);
    for (let request = takeRequest(state); request; request = takeRequest(state)) {
      emit({
        event: "request",
        conn: state.id,
        bytes: Buffer.byteLength(request.body),
        body: request.body.slice(0, 4096),
      });
      switch (config.mode) {
        case "answer":
          answer(socket, state, request);
          break;
        case "huge":
          streamHuge(socket);
          return;
        case "endless":
          streamEndless(socket);
          return;
        case "stall-after-read":
          return;
      }
      if (state.closing) return;
    }
  });
}

// `silent` is a plain TCP server even for TLS clients: their handshake then never completes.
const secure = Boolean(config.tls) && config.mode !== "silent";
const server = secure
  ? tls.createServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) })
  : net.createServer();
server.on("connection", onTcpConnection); // first, so connection ids are set before onConnection runs
server.on(secure ? "secureConnection" : "connection", onConnection);
server.on("tlsClientError", () => {});
server.listen(0, "127.0.0.1", () => emit({ event: "listening", port: server.address().port }));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
