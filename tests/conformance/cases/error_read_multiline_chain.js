function handler(webhook) {
  const total = webhook.payload.data
    .product_cart
    .map((item) => item.quantity)
    .reduce((a, b) => a + b, 0);
  webhook.payload = { total };
  return webhook;
}
