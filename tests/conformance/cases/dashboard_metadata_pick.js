function handler(webhook) {
  const d = webhook.payload.data;
  const { metadata = {}, customer = {}, ...rest } = d;
  webhook.payload = {
    ...Object.fromEntries(Object.entries(metadata).map(([k, v]) => ["meta_" + k, v])),
    email: customer.email?.toLowerCase(),
    keys: Object.keys(rest).sort().slice(0, 5),
    created: new Date(d.created_at ?? webhook.payload.timestamp).toLocaleString("en-US", { hour12: false }),
  };
  return webhook;
}
