// @samples dispute.opened
// A handler that throws after queuing jobs: the error is the result, the jobs still log.
// (What is thrown is a plain object, without a stack: only the logs and the message are compared.)
function fail(Type, message) {
  return { name: Type.name, message };
}
function handler(webhook) {
  Promise.resolve().then(() => console.log("job ran"));
  queueMicrotask(() => console.log("microtask ran"));
  (async () => { await null; console.log("async ran"); })();
  if (webhook.payload.type === "dispute.opened") {
    throw fail(TypeError, "dispute " + webhook.payload.data.dispute_id);
  }
  console.log("throwing");
  throw fail(Error, "no " + webhook.payload.type);
}
