function handler(webhook) {
  webhook.payload.data.shipping.tracking = "pending";
  return webhook;
}
