// Runs conformance handlers in V8 (node:vm, a fresh context per case), with the web globals a
// browser or Node script sees, and prints each returned webhook serialised exactly as runner's
// engine serialises it. stdin: JSON [{source, body, url, timeZone, nowMs}]; stdout: JSON
// [{webhook: text} | {error: {type, message}}]. The locale is the process's (LANG).
"use strict";
const vm = require("node:vm");

const GLOBALS = ["URL", "URLSearchParams", "TextEncoder", "TextDecoder", "structuredClone", "crypto", "atob", "btoa",
  "queueMicrotask", "DOMException"];

function serialise(result, url, eventType) {
  if (result === undefined || result === null || typeof result !== "object") {
    return { error: { type: "InvalidResult", message: String(result) } };
  }
  const cancel = result.cancel === undefined ? false : result.cancel;
  const method = result.method === undefined ? "POST" : result.method;
  const target = result.url === undefined ? url : result.url;
  const payloadText = JSON.stringify(result.payload);
  const headers = result.headers == null ? {} : result.headers;
  const headersText = typeof headers === "object" && Object.keys(headers).length ? JSON.stringify(headers) : null;
  return {
    webhook: '{"eventType":' + JSON.stringify(eventType) + ',"url":' + JSON.stringify(typeof target === "string" ? target : null) +
      ',"method":' + JSON.stringify(typeof method === "string" ? method : null) + ',"payload":' + payloadText +
      ',"cancel":' + cancel + (headersText !== null ? ',"headers":' + headersText : "") + "}",
  };
}

const FROZEN_CLOCK = `(function (NOW) {
  const RealDate = Date;
  function FrozenDate(...a) {
    if (new.target === undefined) return new RealDate(NOW).toString();
    return Reflect.construct(RealDate, a.length ? a : [NOW], new.target);
  }
  FrozenDate.prototype = RealDate.prototype;
  FrozenDate.now = () => NOW; FrozenDate.UTC = RealDate.UTC; FrozenDate.parse = RealDate.parse;
  RealDate.prototype.constructor = FrozenDate;
  globalThis.Date = FrozenDate;
})`;

async function runCase(c) {
  process.env.TZ = c.timeZone || "UTC";
  const sandbox = { console: { log() {}, info() {}, warn() {}, error() {}, debug() {} } };
  for (const name of GLOBALS) sandbox[name] = globalThis[name];
  const context = vm.createContext(sandbox);
  try {
    if (c.nowMs !== null && c.nowMs !== undefined) vm.runInContext(FROZEN_CLOCK, context)(c.nowMs);
    vm.runInContext(c.source, context, { filename: "handler.js", timeout: 2000 });
    const handler = vm.runInContext("handler", context);
    const payload = vm.runInContext("JSON.parse", context)(c.body);
    const eventType = typeof payload.type === "string" ? payload.type : null;
    const webhook = vm.runInContext("(o) => ({eventType: o.eventType, payload: o.payload, url: o.url, method: 'POST', cancel: false, headers: {}, env: {}})", context)(
      { eventType, payload, url: c.url });
    let result = handler(webhook);
    if (result && typeof result.then === "function") result = await result;
    return serialise(result, c.url, eventType);
  } catch (e) {
    return { error: { type: e && e.name ? String(e.name) : "Error", message: e && e.message !== undefined ? String(e.message) : String(e) } };
  }
}

(async () => {
  let input = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) input += chunk;
  const out = [];
  for (const c of JSON.parse(input)) out.push(await runCase(c));
  process.stdout.write(JSON.stringify(out));
})();
