function handler(webhook) {
  const { customer: { address: { city } } } = webhook.payload.data;
  webhook.payload = { city };
  return webhook;
}
