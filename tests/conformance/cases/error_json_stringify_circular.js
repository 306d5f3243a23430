function handler(webhook) {
  const order = { id: webhook.payload.data.payment_id || "x", customer: webhook.payload.data.customer };
  order.customer.orders = [order];
  webhook.payload = { body: JSON.stringify(order) };
  return webhook;
}
