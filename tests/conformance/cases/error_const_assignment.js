function handler(webhook) {
  const total = 0;
  for (const item of webhook.payload.data.product_cart || [1]) {
    total += 1;
  }
  webhook.payload = { total };
  return webhook;
}
