// @samples payment.succeeded refund.succeeded
// An async handler: the result is taken when its promise settles; jobs still queued then run
// (and log) but change nothing that is sent.
async function handler(webhook) {
  const log = [];
  let resolveLater;
  const later = new Promise((r) => { resolveLater = r; });
  later.then(() => { webhook.payload.after = "too late"; console.log("after settle", webhook.payload.steps.join(">")); });
  webhook.payload = { steps: [] };
  webhook.payload.steps.push("start");
  await null;
  webhook.payload.steps.push("after await");
  Promise.resolve().then(() => Promise.resolve()).then(() => { webhook.payload.steps.push("tail job"); console.log("tail job"); });
  queueMicrotask(() => resolveLater());
  console.log("returning");
  log.push("x");
  return webhook;
}
