function handler(webhook) {
  webhook.url = "https://api.segment.io/v1/track";
  webhook.headers = { Authorization: "Basic " + btoa("writeKey:"), "X-Request-Date": new Date(webhook.payload.timestamp).toUTCString() };
  webhook.payload = { event: webhook.eventType, anonymousId: new URL(webhook.url).hostname };
  return webhook;
}
