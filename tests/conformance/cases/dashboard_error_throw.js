function handler(webhook) {
  const d = webhook.payload.data;
  if (!d.nonexistent) throw new TypeError("missing field on " + webhook.eventType);
  return webhook;
}
