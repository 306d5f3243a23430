// Node's `vm` running dashboard handlers: the "build it yourself" baseline for the engine
// benchmark. stdin: {cases: [{source, body}], mode: "new" | "reuse", seconds}. stdout: JSON
// {events, seconds, latencies_us: [...]} (latencies sampled per event).
"use strict";
const vm = require("node:vm");

function runNew(c) {
  const ctx = vm.createContext({});
  vm.runInContext(c.source, ctx);
  const handler = vm.runInContext("handler", ctx);
  const payload = vm.runInContext("JSON.parse", ctx)(c.body);
  const out = handler({ eventType: payload.type, payload, url: "https://example.invalid/webhook", method: "POST", cancel: false, headers: {}, env: {} });
  return JSON.stringify(out);
}

function makeReuse(cases) {
  const ctx = vm.createContext({});
  const fns = cases.map((c) => vm.runInContext("(function(){" + c.source + "\n;return handler})()", ctx));
  const parse = vm.runInContext("JSON.parse", ctx);
  return (c, i) => {
    const payload = parse(c.body);
    return JSON.stringify(fns[i]({ eventType: payload.type, payload, url: "https://example.invalid/webhook", method: "POST", cancel: false, headers: {}, env: {} }));
  };
}

(async () => {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const { cases, mode, seconds } = JSON.parse(input);
  const reuse = mode === "reuse" ? makeReuse(cases) : null;
  const run = reuse || ((c) => runNew(c));
  for (let i = 0; i < Math.min(200, cases.length * 4); i++) run(cases[i % cases.length], i % cases.length);
  const lat = [];
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  for (;;) {
    const i = n % cases.length;
    const t0 = process.hrtime.bigint();
    run(cases[i], i);
    const t1 = process.hrtime.bigint();
    lat.push(Number(t1 - t0) / 1000);
    n++;
    if (t1 >= deadline) break;
  }
  const total = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ events: n, seconds: total, latencies_us: lat }));
})();
