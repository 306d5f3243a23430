// @samples payment.succeeded
// Nesting past Node's depth of 2, and where Node puts line breaks (80 columns, compact 3).
function handler(webhook) {
  console.log({ a: { b: { c: { d: { e: 1 } } } }, arr: [[1, [2, [3, [4]]]]] });
  class Q { constructor() { this.q = 1; } }
  const np = Object.create(null); np.z = 1;
  console.log({ a: { b: { arr: [1, 2], c: new Q(), f: function f() {}, n: np, m: new Map([[1, 2]]), e: [], o: {} } } });
  console.log({ aaaaaaaaaa: 1, bbbbbbbbbb: 2, cccccccccc: 3, dddddddddd: 4, eeeeeeeeee: 5, ffffffffff: 6, gggggggggg: 7 });
  for (let n = 60; n <= 80; n += 2) console.log({ key: "v".repeat(n - 15), k2: 1 });
  console.log({ a: "x".repeat(30), b: "y".repeat(30), c: 1 });
  const m = {}; for (let i = 0; i < 30; i++) m["k" + i] = i;
  console.log(m);
  console.log([{ id: 1, name: "a" }, { id: 2, name: "b" }, { id: 3, name: "c" }], [[[[[1]]]]], [{ a: { b: { c: 1 } } }]);
  console.log({ a: [], b: {}, c: [[]], d: [{}], e: new Map(), f: new Set() });
  console.log({ level1: { level2: { level3: webhook.payload.data.customer } }, cart: [webhook.payload.data.product_cart] });
  return webhook;
}
