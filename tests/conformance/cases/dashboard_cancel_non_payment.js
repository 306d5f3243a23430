function handler(webhook) {
  if (!webhook.eventType.startsWith("payment.")) {
    webhook.cancel = true;
    return webhook;
  }
  webhook.payload = { id: webhook.payload.data.payment_id, at: new Date(webhook.payload.timestamp).toLocaleTimeString("en-US") };
  return webhook;
}
