function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString());
  t("c1", () => new Date(d.created_at).toLocaleDateString());
  t("c2", () => new Date(d.created_at || p.timestamp).toLocaleDateString(undefined));
  webhook.payload = r;
  return webhook;
}
