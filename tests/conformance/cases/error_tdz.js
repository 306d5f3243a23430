function handler(webhook) {
  webhook.payload.label = label + ":" + webhook.eventType;
  const label = "event";
  return webhook;
}
