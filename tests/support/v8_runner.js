// Runs dashboard handlers in V8 (node:vm, a fresh context per case) the way the dashboard
// does, and prints each result serialised exactly as runner serialises a returned webhook.
// Input (stdin): JSON array of {source, body, url, env}. Output: JSON array of
// {webhook: text} | {error: {type, message}}.
"use strict";
const vm = require("node:vm");

function serialise(result, input) {
  if (result === undefined) return { error: { type: "InvalidResult", message: "undefined" } };
  if (result === null || typeof result !== "object" || Array.isArray(result)) {
    return { error: { type: "InvalidResult", message: "not an object" } };
  }
  let cancel = result.cancel === undefined ? false : result.cancel;
  if (cancel !== true && cancel !== false) return { error: { type: "InvalidResult", message: "cancel" } };
  const url = result.url === undefined ? input.url : result.url;
  const method = result.method === undefined ? "POST" : result.method;
  let headers = result.headers == null ? {} : result.headers;
  let payloadText;
  try { payloadText = JSON.stringify(result.payload); } catch (e) {
    if (!cancel) return { error: { type: "InvalidResult", message: String(e.message) } };
    payloadText = "null";
  }
  if (payloadText === undefined) {
    if (!cancel) return { error: { type: "InvalidResult", message: "payload" } };
    payloadText = "null";
  }
  let headersText = null;
  if (typeof headers === "object" && !Array.isArray(headers) && Object.keys(headers).length) {
    headersText = JSON.stringify(headers);
  }
  return {
    webhook: '{"eventType":' + JSON.stringify(input.eventType) + ',"url":' + JSON.stringify(typeof url === "string" ? url : null) +
      ',"method":' + JSON.stringify(typeof method === "string" ? method : null) + ',"payload":' + payloadText +
      ',"cancel":' + cancel + (headersText !== null ? ',"headers":' + headersText : "") + "}",
  };
}

async function runCase(c) {
  const logs = [];
  const sandbox = {};
  const context = vm.createContext(sandbox);
  const consoleCapture = {};
  for (const level of ["log", "info", "warn", "error", "debug"]) consoleCapture[level] = (...a) => logs.push(level);
  sandbox.console = consoleCapture;
  try {
    vm.runInContext(c.source, context, { filename: "handler.js", timeout: 2000 });
    const handler = vm.runInContext("handler", context);
    const payload = vm.runInContext("JSON.parse", context)(c.body);
    const eventType = payload !== null && typeof payload === "object" && typeof payload.type === "string" ? payload.type : null;
    const env = vm.runInContext("JSON.parse", context)(JSON.stringify(c.env || {}));
    Object.freeze(env);
    const webhook = vm.runInContext("(o) => ({eventType: o.eventType, payload: o.payload, url: o.url, method: 'POST', cancel: false, headers: {}, env: o.env})", context)(
      { eventType, payload, url: c.url, env });
    let result = handler(webhook);
    if (result && typeof result.then === "function") result = await result;
    return serialise(result, { url: c.url, eventType });
  } catch (e) {
    return { error: { type: e && e.name ? String(e.name) : "Error", message: e && e.message !== undefined ? String(e.message) : String(e) } };
  }
}

(async () => {
  let input = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) input += chunk;
  const cases = JSON.parse(input);
  const out = [];
  for (const c of cases) out.push(await runCase(c));
  process.stdout.write(JSON.stringify(out));
})();
