function handler(webhook) {
  webhook.payload = { text: `Payment ${webhook.payload.data.payment_id} by ${webhook.payload.data.customer.address.line1}` };
  return webhook;
}
