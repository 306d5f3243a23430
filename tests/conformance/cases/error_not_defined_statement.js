function handler(webhook) {
  if (webhook.payload.type) {
    sendToSlack(webhook.payload.type, webhook.payload.data);
  }
  return webhook;
}
