function handler(webhook) {
  const d = webhook.payload.data;
  const amount = (d.total_amount ?? d.recurring_pre_tax_amount ?? Number(d.amount) ?? 0) / 100;
  webhook.payload = {
    betrag: amount.toLocaleString("de-DE", { style: "currency", currency: "EUR" }),
    datum: new Date(webhook.payload.timestamp).toLocaleDateString("de-DE", { day: "2-digit", month: "2-digit", year: "numeric" }),
    zeit: new Date(webhook.payload.timestamp).toLocaleTimeString("de-DE", { timeZone: "Europe/Berlin" }),
    lang: new Date(webhook.payload.timestamp).toLocaleString("de-DE", { dateStyle: "full", timeStyle: "short", timeZone: "Europe/Berlin" }),
  };
  return webhook;
}
