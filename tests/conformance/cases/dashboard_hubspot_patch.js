function handler(webhook) {
  const d = webhook.payload.data;
  webhook.method = "PATCH";
  webhook.headers = { "Content-Type": "application/json", "X-Amount": String(d.total_amount ?? d.amount ?? "") };
  webhook.payload = {
    properties: {
      last_payment_date: new Date(webhook.payload.timestamp).toISOString().split("T")[0],
      last_payment_display: new Date(webhook.payload.timestamp).toLocaleDateString("en-GB"),
      lifetime_value: Math.round(Number(d.total_amount ?? d.amount ?? 0)) / 100,
      country: d.billing?.country ?? null,
    },
  };
  return webhook;
}
