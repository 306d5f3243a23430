// @samples payment.succeeded subscription.active refund.succeeded
// console.table draws Node's box table.
function handler(webhook) {
  const d = webhook.payload.data;
  console.table([{ a: 1, b: "x" }, { a: 2, c: true }]);
  console.table([1, "two", { three: 3 }, [2]]);
  console.table({ r1: { c1: 1 }, r2: { c2: [1, 2, 3, 4] } });
  console.table([{ a: 1, b: 2 }, { a: 3, b: 4 }], ["a"]);
  console.table([{ a: 1 }, { b: 2 }], ["a", "b", "c"]);
  console.table(5); console.table("str");
  console.table([]);
  console.table([[1, 2], [3, 4, 5]]);
  console.table([{ a: { b: { c: 1 } }, arr: [1, 2, 3, 4, 5], o: { x: 1, y: 2, z: 3 } }]);
  console.table(new Map([["k", { v: 1 }]])); console.table(new Set(["a", "b"]));
  console.table(d.product_cart || d.refunds || []);
  console.table(d.customer);
  console.table([d.billing || {}]);
  console.table([{ name: "Dana Whitfield", email: "dana@example.com" }, { name: "é中😀", email: "x" }]);
  console.group("grouped");
  console.table([{ a: 1 }]);
  console.groupEnd();
  return webhook;
}
