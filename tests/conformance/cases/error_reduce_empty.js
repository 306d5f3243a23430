function handler(webhook) {
  const total = (webhook.payload.data.refunds || []).map((r) => r.amount).reduce((a, b) => a + b);
  webhook.payload = { total };
  return webhook;
}
