// A string field called as a method: V8 prints the callee, QuickJS says only "not a function".
function handler(webhook) {
  const name = webhook.payload.data.customer.name(webhook.payload.data.customer.email, 2);
  webhook.payload = { name };
  return webhook;
}
