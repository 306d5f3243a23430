function handler(webhook) {
  const { street, city } = webhook.payload.data.shipping;
  webhook.payload = { street, city };
  return webhook;
}
