// @samples payment.succeeded subscription.active
// Jobs that run after the handler returned cannot change what is sent (the result is taken on
// return, as a caller serialising it would), but what they log is kept.
function handler(webhook) {
  webhook.payload = { status: "returned", items: [] };
  Promise.resolve().then(() => {
    webhook.payload.status = "changed by a job";
    webhook.payload.items.push(1);
    webhook.url = "https://changed.invalid/";
    webhook.cancel = true;
    console.log("job saw", webhook.payload.status);
  });
  queueMicrotask(() => { webhook.headers["x-late"] = "1"; console.log("late header set"); });
  return webhook;
}
