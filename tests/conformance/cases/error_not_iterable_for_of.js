function handler(webhook) {
  const lines = [];
  for (const item of webhook.payload.data.items) lines.push(item.product_id);
  webhook.payload = { lines };
  return webhook;
}
