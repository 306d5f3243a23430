// Runs conformance handlers in V8 (node:vm, a fresh context per case), with the web globals a
// browser or Node script sees, and prints each returned webhook serialised exactly as runner's
// engine serialises it. stdin: JSON [{source, body, url, timeZone, nowMs}]; stdout: JSON
// [{webhook: text, logs} | {error: {type, message, line, column}, logs}]. The locale is the
// process's (LANG). Console output is Node's own `console.Console` writing to two captured
// streams, so util.inspect, groups, counters and tables read exactly as Node prints them.
"use strict";
const vm = require("node:vm");
const { Console } = require("node:console");

function capturingConsole(logs) {
  const stream = (name) => ({ write(chunk) { logs.push(name + " " + String(chunk).replace(/\n$/, "")); return true; },
    on() { return this; }, once() { return this; }, removeListener() { return this; }, listenerCount() { return 0; } });
  return new Console({ stdout: stream("out"), stderr: stream("err"), colorMode: false });
}

// The first frame in the handler's own file, as "line:column" (null when the stack has none).
function handlerPosition(e) {
  let stack;
  try { stack = e && typeof e === "object" ? e.stack : undefined; } catch (_) { return null; }
  const m = typeof stack === "string" ? /handler\.js:(\d+):(\d+)/.exec(stack) : null;
  return m ? m[1] + ":" + m[2] : null;
}

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
  const logs = [];
  const sandbox = { console: capturingConsole(logs) };
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
    return await withLogs(serialise(result, c.url, eventType), logs);
  } catch (e) {
    return await withLogs({ error: { type: e && e.name ? String(e.name) : "Error",
      message: e && e.message !== undefined ? String(e.message) : String(e), position: handlerPosition(e) } }, logs);
  }
}

// Jobs the handler left queued run before the next macrotask: their output counts too.
async function withLogs(result, logs) {
  await new Promise((resolve) => setImmediate(resolve));
  result.logs = logs;
  return result;
}

(async () => {
  let input = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) input += chunk;
  const out = [];
  for (const c of JSON.parse(input)) out.push(await runCase(c));
  process.stdout.write(JSON.stringify(out));
})();
