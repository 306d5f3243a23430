function handler(webhook) {
  webhook.payload = { city: webhook.payload.data.billing?.city.name.first };
  return webhook;
}
