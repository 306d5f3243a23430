// @samples payment.succeeded
// for await and async generators started by a plain handler run after it returns.
function handler(webhook) {
  const items = webhook.payload.data.product_cart || [{ product_id: "none" }];
  (async () => {
    for await (const item of items) console.log("for await", item.product_id);
    for await (const v of [Promise.resolve("a"), "b", Promise.resolve("c")]) console.log("awaited", v);
  })();
  async function* countdown(n) {
    while (n > 0) { yield n; n -= 1; await null; }
    console.log("generator done");
  }
  (async () => {
    const seen = [];
    for await (const n of countdown(3)) seen.push(n);
    console.log("countdown", seen.join(","));
  })();
  const gen = countdown(2);
  gen.next().then((r) => console.log("next", r.value, r.done));
  gen.return("early").then((r) => console.log("return", r.value, r.done));
  console.log("returned");
  return webhook;
}
