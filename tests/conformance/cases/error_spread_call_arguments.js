function handler(webhook) {
  webhook.payload = { max: Math.max(...webhook.payload.data.meters) };
  return webhook;
}
