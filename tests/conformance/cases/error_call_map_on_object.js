function handler(webhook) {
  const keys = webhook.payload.data.customer.map((v) => v);
  webhook.payload = { keys };
  return webhook;
}
