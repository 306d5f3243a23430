function handler(webhook) {
  const pairs = [];
  for (const entry of webhook.payload.data.customer) pairs.push(entry);
  webhook.payload = { pairs };
  return webhook;
}
