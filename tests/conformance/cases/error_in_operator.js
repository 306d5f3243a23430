function handler(webhook) {
  webhook.payload = { has: "id" in webhook.payload.data.metadata.crm };
  return webhook;
}
