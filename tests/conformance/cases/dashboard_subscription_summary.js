function handler(webhook) {
  const s = webhook.payload.data;
  if (!webhook.eventType.startsWith("subscription.")) return webhook;
  const price = (s.recurring_pre_tax_amount / 100).toLocaleString("en-US", { style: "currency", currency: s.currency || "USD" });
  const next = s.next_billing_date ? new Date(s.next_billing_date) : null;
  webhook.payload = {
    text: `${s.customer?.name ?? "Someone"} is ${s.status} at ${price}/${String(s.payment_frequency_interval).toLowerCase()}`,
    nextBilling: next ? next.toLocaleDateString("en-US", { weekday: "short", month: "short", day: "numeric", year: "numeric" }) : null,
    nextBillingNY: next ? next.toLocaleString("en-US", { timeZone: "America/New_York", dateStyle: "medium", timeStyle: "short" }) : null,
    daysLeft: next ? Math.ceil((next - new Date(webhook.payload.timestamp)) / 86400000) : null,
  };
  return webhook;
}
