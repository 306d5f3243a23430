// @samples payment.succeeded
// An async handler that rejects, with jobs still queued: the rejection is the result, jobs log.
async function handler(webhook) {
  Promise.resolve().then(() => console.log("job 1"));
  await Promise.resolve();
  Promise.resolve().then(() => Promise.resolve()).then(() => console.log("job 2 after the rejection"));
  queueMicrotask(() => console.log("microtask"));
  throw { name: "RangeError", message: "rejected: " + webhook.payload.type };
}
