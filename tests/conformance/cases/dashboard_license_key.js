// @samples license_key.created payment.succeeded
function handler(webhook) {
  const d = webhook.payload.data;
  if (webhook.eventType !== "license_key.created") return webhook;
  webhook.payload = {
    key: d.key ? d.key.slice(0, 4) + "…" : null,
    expires: d.expires_at ? new Date(d.expires_at).toLocaleDateString("en-US", { dateStyle: "long" }) : "never",
    created: new Date(d.created_at).toLocaleString("en-US", { timeZone: "Asia/Kolkata" }),
    limit: d.activations_limit ?? "unlimited",
  };
  return webhook;
}
