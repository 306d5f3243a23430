function handler(webhook) {
  const field = "customer_" + webhook.eventType.split(".")[0];
  webhook.payload.value = webhook.payload.data[field]["id"];
  return webhook;
}
