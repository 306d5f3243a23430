// The "build it yourself" baseline for the ingest benchmark: a minimal webhook relay on Node's
// `http` and `vm`. It verifies the Standard Webhooks signature, runs the same dashboard handlers,
// answers 200 and forwards Segment calls in `/v1/batch` requests (up to FLUSH_EVENTS events or
// every FLUSH_MS, as Segment's own Node library does), with a deterministic messageId.
// No durability: nothing is stored, so whatever is queued in memory is lost on a crash or
// restart, and a Segment outage loses events. No retries, no dedupe of provider retries.
//
// stdin: {"secret", "segmentUrl", "writeKey", "mode": "reuse" | "new", "handlers": [{name, source}]}
//   mode "reuse": each handler compiled once in one shared context (no isolation between events);
//   mode "new": a new context per handler run (the isolation runner gives every event).
// stdout: the port it listens on (127.0.0.1), one line.
"use strict";
const http = require("node:http");
const crypto = require("node:crypto");
const vm = require("node:vm");

const FLUSH_EVENTS = 100;
const FLUSH_MS = 50;
const TOLERANCE_S = 5 * 60;
const DEFAULT_URL = "https://example.invalid/webhook";

function reply(res, status, data) {
  const body = JSON.stringify(data);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

function verifier(secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return (headers, body) => {
    const id = headers["webhook-id"], ts = headers["webhook-timestamp"], sigs = headers["webhook-signature"];
    if (!id || !ts || !sigs) return false;
    if (Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE_S) return false;
    const expected = crypto.createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest();
    return sigs.split(" ").some((s) => {
      const [version, sig] = s.split(",");
      const given = Buffer.from(sig || "", "base64");
      return version === "v1" && given.length === expected.length && crypto.timingSafeEqual(given, expected);
    });
  };
}

function runners(handlers, mode) {
  if (mode === "new") {
    return handlers.map((h) => {
      const script = new vm.Script(h.source, { filename: h.name });
      return (webhook) => {
        const ctx = vm.createContext({});
        script.runInContext(ctx);
        return vm.runInContext("handler", ctx)(webhook);
      };
    });
  }
  const ctx = vm.createContext({});
  return handlers.map((h) => vm.runInContext(`(function(){${h.source}\n;return handler})()`, ctx, { filename: h.name }));
}

(async () => {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const cfg = JSON.parse(input);
  const verify = verifier(cfg.secret);
  const fns = runners(cfg.handlers, cfg.mode || "reuse");
  const segment = new URL(cfg.segmentUrl);
  const auth = "Basic " + Buffer.from(cfg.writeKey + ":").toString("base64");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let queue = [];
  let timer = null;

  function flush() {
    clearTimeout(timer);
    timer = null;
    if (!queue.length) return;
    const body = JSON.stringify({ batch: queue, sentAt: new Date().toISOString() });
    queue = [];
    const req = http.request({ host: segment.hostname, port: segment.port, path: "/v1/batch", method: "POST", agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: auth } },
      (res) => res.resume());
    req.on("error", () => {});  // no retries: a failed batch is lost
    req.end(body);
  }

  function forward(event) {
    queue.push(event);
    if (queue.length >= FLUSH_EVENTS) flush();
    else if (!timer) timer = setTimeout(flush, FLUSH_MS);
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (!verify(req.headers, body)) {
        reply(res, 401, { error: "bad_signature" });
        return;
      }
      let envelope;
      try {
        envelope = JSON.parse(body);
      } catch {
        reply(res, 400, { error: "malformed" });
        return;
      }
      const results = [];
      fns.forEach((fn, i) => {
        try {
          const payload = JSON.parse(body);  // each handler gets its own copy to mutate
          const out = fn({ eventType: envelope.type, payload, url: DEFAULT_URL, method: "POST", cancel: false, headers: {}, env: {} });
          const url = out && !out.cancel ? new URL(out.url) : null;
          const kind = url && url.pathname.startsWith("/v1/") ? url.pathname.slice(4) : null;
          if (!kind || url.host !== "api.segment.io") {
            results.push({ name: cfg.handlers[i].name, status: "skipped" });
            return;
          }
          const event = Object.assign({}, out.payload, {
            type: kind, messageId: `${req.headers["webhook-id"]}:${cfg.handlers[i].name}`,
            context: { library: { name: "node-relay", version: "bench" } },
          });
          forward(event);
          results.push({ name: cfg.handlers[i].name, status: "sent" });
        } catch (e) {
          results.push({ name: cfg.handlers[i].name, status: "error" });
        }
      });
      reply(res, 200, { status: "accepted", transforms: results });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\n"));
  process.on("SIGTERM", () => { flush(); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 2000); });
})();
