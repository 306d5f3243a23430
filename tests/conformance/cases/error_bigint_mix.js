function handler(webhook) {
  const cents = BigInt(webhook.payload.data.total_amount || webhook.payload.data.amount || 0);
  webhook.payload = { total: String(cents + 1) };
  return webhook;
}
