// @samples payment.succeeded
// What Node prints without running the handler's code: a proxy's target (no trap runs), getters
// as [Getter], a Symbol.toStringTag; and the getters it does call (console.table reads cells).
function handler(webhook) {
  let calls = 0;
  const traps = new Proxy({}, { get() { calls++; throw new Error("trap"); } });
  const p = new Proxy({ a: 1, nested: { b: 2 } }, traps);
  console.log(p, [p], { p });
  const r = Proxy.revocable({}, {}); r.revoke(); console.log(r.proxy, [r.proxy]);
  const o = { get a() { calls++; return 1; } };
  Object.defineProperty(o, "b", { get() { calls++; return 2; }, enumerable: false });
  console.log(o); console.dir(o); console.log("%o", o); console.log("%s", o);
  console.log("getter calls so far", calls);
  console.table([o]);
  console.log("after table", calls);
  const custom = { [Symbol.for("nodejs.util.inspect.custom")](depth, opts, inspect) { return "custom:" + depth + ":" + inspect({ x: [1] }); } };
  console.log(custom, { custom });
  const self = { [Symbol.for("nodejs.util.inspect.custom")]() { return this; }, v: 1 };
  console.log(self);
  return webhook;
}
