// @samples payment.succeeded refund.succeeded
// A plain handler leaves promise jobs queued: they run after it returns, and what they log counts.
function handler(webhook) {
  const type = webhook.payload.type;
  console.log("sync", type);
  Promise.resolve(1).then((v) => console.log("then", v));
  Promise.resolve(2).then((v) => v * 10).then((v) => console.log("chained", v));
  queueMicrotask(() => console.log("microtask"));
  new Promise((resolve) => resolve("executor")).then((v) => console.warn("warn from job", v));
  Promise.reject(new Error("boom")).catch((e) => console.error("caught", e.message));
  Promise.resolve().finally(() => console.info("finally"));
  Promise.all([1, Promise.resolve(2)]).then((v) => console.log("all", v.join("+")));
  Promise.allSettled([Promise.reject(3), 4]).then((r) => console.log("allSettled", r.map((x) => x.status).join(",")));
  Promise.race([new Promise(() => {}), Promise.resolve("race")]).then((v) => console.log(v));
  Promise.any([Promise.reject(1), Promise.resolve("any")]).then((v) => console.log(v));
  console.log("sync end");
  webhook.payload = { type };
  return webhook;
}
