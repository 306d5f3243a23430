// @samples payment.succeeded
// A Proxy as the receiver of an override: the same traps run in the same order as in V8.
function handler(webhook) {
  const trace = [];
  const traps = {
    getOwnPropertyDescriptor(t, k) { trace.push("gOPD " + String(k)); return Reflect.getOwnPropertyDescriptor(t, k); },
    defineProperty(t, k, d) { trace.push("define " + String(k) + " " + Object.keys(d).join("/")); return Reflect.defineProperty(t, k, d); },
    isExtensible(t) { trace.push("isExtensible"); return Reflect.isExtensible(t); },
    has(t, k) { trace.push("has " + String(k)); return Reflect.has(t, k); },
  };
  const p = new Proxy({}, traps);
  p.toString = () => "proxied";
  trace.push("-> " + String(p));
  p.toString = () => "again";
  const arr = new Proxy([], traps);
  arr.push = 1;
  arr[Symbol.iterator] = 2;
  const failing = new Proxy({}, { defineProperty() { trace.push("refused"); return false; } });
  failing.valueOf = 1;
  trace.push("valueOf own: " + Object.prototype.hasOwnProperty.call(failing, "valueOf"));
  const throwing = new Proxy({}, { getOwnPropertyDescriptor() { throw new Error("trap threw"); } });
  try { throwing.toString = 1; trace.push("no throw"); } catch (e) { trace.push("threw " + e.message); }
  console.log(trace.length);
  webhook.payload = { trace };
  return webhook;
}
