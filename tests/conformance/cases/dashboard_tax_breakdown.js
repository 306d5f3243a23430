// @samples payment.succeeded payment.failed subscription.renewed
function handler(webhook) {
  const d = webhook.payload.data;
  const total = d.total_amount ?? d.recurring_pre_tax_amount ?? 0;
  const tax = d.tax ?? 0;
  const pct = total ? tax / total : 0;
  webhook.payload = {
    net: ((total - tax) / 100).toLocaleString("en-US", { style: "currency", currency: d.currency || "USD" }),
    taxPct: pct.toLocaleString("en-US", { style: "percent", maximumFractionDigits: 1 }),
    ratio: Number(pct.toFixed(4)),
    rounded: Math.round(total / 100 * 1.0825 * 100) / 100,
  };
  return webhook;
}
