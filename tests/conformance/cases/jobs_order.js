// @samples payment.succeeded
// The order of jobs, sync logs and awaits, as V8 runs them.
function handler(webhook) {
  console.log("1 sync");
  setTimeoutLike();
  const p = Promise.resolve();
  p.then(() => console.log("3 first then"));
  (async () => {
    console.log("2 async body runs at once");
    await undefined;
    console.log("5 after await");
    await p;
    console.log("7 after second await");
  })();
  p.then(() => console.log("4 second then")).then(() => console.log("6 chained"));
  const thenable = { then(resolve) { console.log("thenable then called"); resolve("thenable"); } };
  Promise.resolve(thenable).then((v) => console.log("resolved", v));
  console.log("sync end");
  return webhook;
  function setTimeoutLike() { queueMicrotask(() => console.log("microtask from helper")); }
}
