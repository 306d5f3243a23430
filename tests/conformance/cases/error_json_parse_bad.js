// @samples payment.succeeded
function handler(webhook) {
  const raw = webhook.payload.data.metadata.order_ref;   // "ORD-10482": not JSON
  webhook.payload = { order: JSON.parse(raw) };
  return webhook;
}
