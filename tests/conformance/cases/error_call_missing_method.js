function handler(webhook) {
  const upper = webhook.payload.data.currency.toUpperCase().padStart(5).capitalize();
  webhook.payload = { upper };
  return webhook;
}
