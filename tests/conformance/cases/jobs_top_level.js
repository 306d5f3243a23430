// @samples payment.succeeded subscription.active
// Jobs queued by the top-level code run for each event, once.
let events = 0;
Promise.resolve().then(() => console.log("top-level job, events so far:", events));
queueMicrotask(() => console.log("top-level microtask"));
function handler(webhook) {
  events += 1;
  Promise.resolve().then(() => console.log("handler job, events:", events));
  return webhook;
}
