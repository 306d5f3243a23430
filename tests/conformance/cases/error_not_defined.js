function handler(webhook) {
  const amount = webhook.payload.data.total_amount || webhook.payload.data.amount;
  webhook.payload = { amount: amont / 100 };
  return webhook;
}
