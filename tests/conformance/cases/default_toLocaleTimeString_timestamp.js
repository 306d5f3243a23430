function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleTimeString());
  t("c1", () => new Date(d.created_at).toLocaleTimeString());
  t("c2", () => new Date(d.created_at || p.timestamp).toLocaleTimeString(undefined));
  webhook.payload = r;
  return webhook;
}
