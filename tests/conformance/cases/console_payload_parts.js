// @samples payment.succeeded payment.failed refund.succeeded subscription.active subscription.plan_changed dispute.opened license_key.created
// Pieces of the payload, as handlers log them while debugging a transform.
function handler(webhook) {
  const d = webhook.payload.data;
  console.log("customer", d.customer, "billing", d.billing);
  console.log(Object.keys(d));
  console.log(Object.entries(d.customer || {}));
  console.log(new Map(Object.entries(d.metadata || {})));
  console.log(new Set(Object.keys(d).map((k) => k.split("_")[0])));
  console.log(d.product_cart, (d.product_cart || []).map((p) => p.product_id));
  console.log({ id: d.payment_id || d.subscription_id || d.refund_id || d.dispute_id, amount: d.total_amount ?? d.amount, currency: d.currency });
  console.log(JSON.stringify(d.customer, null, 2));
  console.dir(d, { depth: 0 });
  console.dir(webhook.payload, { depth: null });
  console.warn("missing", Object.entries(d).filter(([, v]) => v === null).map(([k]) => k));
  console.error("status %s for %s (%d)", d.status, webhook.eventType, d.total_amount);
  webhook.payload = { seen: Object.keys(d).length };
  return webhook;
}
