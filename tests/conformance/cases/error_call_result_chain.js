function handler(webhook) {
  const fmt = { money(v) { return { value: v }; } };
  const out = fmt.money(webhook.payload.data.total_amount || 0).toFixed(2);
  webhook.payload = { out };
  return webhook;
}
