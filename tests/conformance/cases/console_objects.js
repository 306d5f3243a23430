// @samples payment.succeeded
// Class instances, null prototypes, functions and classes, symbol keys, getters, dates, regexps,
// promises and proxies: the forms Node gives each.
function handler(webhook) {
  class Point { constructor(x, y) { this.x = x; this.y = y; } }
  class Empty {}
  class Tagged { get [Symbol.toStringTag]() { return "Tag"; } }
  console.log(new Point(1, 2), [new Point(3, 4)], new Empty(), { e: new Empty() }, new Tagged());
  const np = Object.create(null); np.a = 1;
  console.log(np, Object.create(null), { [Symbol.toStringTag]: "Custom" });
  const Anon = (() => class {})();
  class Animal {} const dog = Object.create(Animal.prototype); dog.name = "rex";
  console.log(new Anon(), dog, Object.create({ inherited: 1 }));
  function named() {} named.x = 1;
  console.log(named, () => {}, async function af() {}, function* gen() {}, async () => {}, class A {}, class B extends Error {}, Math.max);
  console.log({ handler() {}, arrow: () => 1, named: function nm() {}, bound: named.bind(null) });
  console.log({ [Symbol("a")]: 1, b: 2, [Symbol.for("c")]: { d: 1 } });
  console.log({ get a() { return 1; }, set b(v) {}, get c() { return 1; }, set c(v) {} });
  console.log(new Date(0), new Date(NaN), { d: new Date(webhook.payload.timestamp) });
  console.log(/ab+c/gi, { r: /x/ }, new RegExp("a/b"));
  console.log(new Promise(() => {}), { p: new Promise(() => {}) });
  console.log(new Proxy({ a: 1 }, {}), new Proxy([1, 2], {}), new Proxy(function target() {}, {}));
  (function () { console.log(arguments); })(1, "a");
  console.log([1, 2][Symbol.iterator](), "ab"[Symbol.iterator](), (function* () {})());
  console.log({ constructor: "lie", a: 1 }, { constructor: function Fake() {} });
  class MyArr extends Array {} class MyU8 extends Uint8Array {}
  console.log(MyArr.from([1, 2]), new MyU8(2), Object.freeze({ a: 1 }));
  const ne = {}; Object.defineProperty(ne, "hidden", { value: 1 }); ne.v = 2;
  console.log(ne, { ["__proto__"]: 1 });
  return webhook;
}
