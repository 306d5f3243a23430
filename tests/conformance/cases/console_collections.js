// @samples payment.succeeded subscription.active
// Maps, Sets, weak collections, and circular references.
function handler(webhook) {
  const d = webhook.payload.data;
  console.log(new Map([["a", 1], [{ k: 1 }, [1, 2]]]), new Set([1, "a", { b: 2 }]), new Map(), new Set());
  console.log(new WeakMap(), new WeakSet(), { wm: new WeakMap() });
  console.log(new Map([["customer", d.customer], ["billing", d.billing]]));
  console.log(new Map([["a", new Map([["b", new Map([["c", new Map([["d", 1]])]])]])]]));
  console.log(new Set(Array.from({ length: 105 }, (_, i) => i)));
  console.log({ a: { b: { s: new Set([{ x: 1 }]), m: new Map([[1, { x: 1 }]]) } } });
  const c = { name: "c" }; c.self = c; c.list = [c];
  console.log(c);
  const x = {}; const y = { x }; x.y = y;
  console.log([x, y]);
  const root = { a: { b: {} } }; root.a.b.root = root; root.a.b.a = root.a;
  console.log(root);
  const m = new Map(); m.set("self", m); const s = new Set(); s.add(s); const arr = [1]; arr.push(arr);
  console.log({ m, s, arr });
  class MyMap extends Map {} class MySet extends Set {}
  console.log(new MyMap([[1, 2]]), new MySet(["x"]));
  return webhook;
}
