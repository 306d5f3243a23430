// @samples payment.succeeded
// Rejections handled later in the same event (a catch attached from a job): nothing unhandled.
function handler(webhook) {
  const failing = Promise.reject(new Error("late catch"));
  Promise.resolve().then(() => failing.catch((e) => console.log("caught later:", e.message)));
  const viaAsync = (async () => { throw new SyntaxError("from async"); })();
  viaAsync.then(null, (e) => console.log(e.name, e.message));
  Promise.resolve().then(() => { throw new Error("in a then"); }).catch((e) => console.log("then threw:", e.message));
  webhook.payload = { handled: true };
  return webhook;
}
