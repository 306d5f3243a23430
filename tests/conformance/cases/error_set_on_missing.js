function handler(webhook) {
  webhook.payload.data.customer.metadata.synced_at = webhook.payload.timestamp;
  return webhook;
}
