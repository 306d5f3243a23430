function handler(webhook) {
  const all = [...webhook.payload.data.product_cart, ...webhook.payload.data.addons];
  webhook.payload = { count: all.length };
  return webhook;
}
