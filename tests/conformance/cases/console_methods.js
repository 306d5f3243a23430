// @samples payment.succeeded
// The other console methods: dir and its options, assert, count, group, and the two streams.
function handler(webhook) {
  const d = webhook.payload.data;
  console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
  console.dir({ a: { b: { c: { d: 1 } } } }, { depth: null });
  console.dir(d.customer);
  console.dir("a string"); console.dir(5);
  console.dir({ a: 1, b: [1, 2], c: { d: 1 } }, { compact: false });
  console.dir({ a: 1, b: [1, 2], c: { d: 1 }, long: "x".repeat(70) }, { compact: true });
  console.dir({ a: "x".repeat(50), b: "y".repeat(50) }, { breakLength: Infinity });
  console.dir({ b: 1, a: 2, c: { z: 1, y: 2 } }, { sorted: true });
  console.dir({ get a() { return { x: 1 }; }, get b() { return 5; } }, { getters: true });
  console.dir([1234567, 1234.5678, -1000000n], { numericSeparator: true });
  console.dir(Array.from({ length: 10 }, (_, i) => i), { maxArrayLength: 3 });
  console.dir(["abcdefghij"], { maxStringLength: 4 });
  console.dir({ a: [1, 2] }, { showHidden: true });
  console.assert(1 === 1, "no");
  console.assert(false, "failed %s", "here");
  console.assert(false);
  console.assert(0, { a: 1 });
  console.count(); console.count(); console.count("x"); console.countReset(); console.count(); console.count("x");
  console.count(d.currency); console.count(d.currency);
  console.group("G1");
  console.log("inside");
  console.group();
  console.log({ a: 1, b: "multi\nline" }, d.billing);
  console.groupEnd();
  console.groupCollapsed("collapsed", 1, { b: 2 });
  console.warn("w\nx"); console.error({ e: 1 }); console.info("i"); console.debug("dbg");
  console.groupEnd();
  console.log("back");
  console.groupEnd();
  console.groupEnd();
  console.log("out");
  console.log(); console.log(""); console.log(" ");
  console.info("i", 1); console.warn("w", { a: 1 }); console.error("e", [1]); console.debug("d");
  return webhook;
}
