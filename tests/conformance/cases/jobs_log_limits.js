// @samples payment.succeeded
// Jobs log many lines: the same per-event cap applies to them as to the handler's own lines.
function handler(webhook) {
  for (let i = 0; i < 5; i++) Promise.resolve(i).then((v) => console.log("job line", v, "x".repeat(100)));
  let chain = Promise.resolve(0);
  for (let i = 0; i < 20; i++) chain = chain.then((n) => { console.log("step", n); return n + 1; });
  chain.then((n) => console.log("chain end", n));
  return webhook;
}
