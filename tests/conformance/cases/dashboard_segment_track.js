function handler(webhook) {
  if (webhook.eventType === "payment.succeeded") {
    const p = webhook.payload.data;
    webhook.url = "https://api.segment.io/v1/track";
    webhook.payload = {
      userId: p.customer.customer_id,
      event: "Payment Completed",
      properties: {
        amount: (p.total_amount / 100).toFixed(2),
        amountFormatted: (p.total_amount / 100).toLocaleString("en-US", { style: "currency", currency: p.currency || "USD" }),
        date: new Date(webhook.payload.timestamp).toLocaleDateString(),
        dateLong: new Date(webhook.payload.timestamp).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" }),
        at: new Date(webhook.payload.timestamp).toLocaleString(),
      },
      timestamp: webhook.payload.timestamp,
    };
  }
  return webhook;
}
