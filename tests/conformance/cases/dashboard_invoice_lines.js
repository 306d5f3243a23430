function handler(webhook) {
  const d = webhook.payload.data;
  const fmt = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" });
  const lines = (d.product_cart || []).map((item, i) => `${i + 1}. ${item.product_id} × ${item.quantity}`);
  webhook.payload = {
    lines,
    totalINR: fmt.format((d.total_amount || 0) * 83.12 / 100),
    totalEUR: ((d.total_amount || 0) / 100).toLocaleString("de-DE", { style: "currency", currency: "EUR" }),
    totalJPY: ((d.total_amount || 0) * 1.5).toLocaleString("ja-JP", { style: "currency", currency: "JPY" }),
    date: new Date(webhook.payload.timestamp).toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" }),
  };
  return webhook;
}
