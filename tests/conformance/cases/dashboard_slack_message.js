// @samples payment.succeeded payment.failed refund.succeeded dispute.opened dispute.won
function handler(webhook) {
  const d = webhook.payload.data;
  const money = (minor, cur) => new Intl.NumberFormat("en-US", { style: "currency", currency: cur || "USD" }).format(Number(minor) / 100);
  const when = new Date(webhook.payload.timestamp).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const amount = d.total_amount ?? d.amount;
  webhook.url = "https://hooks.slack.com/services/T000/B000/XXXX";
  webhook.payload = { text: `:moneybag: ${webhook.eventType} — ${money(amount, d.currency)} (${when})` };
  return webhook;
}
