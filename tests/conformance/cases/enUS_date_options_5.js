function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString('en-US', {dateStyle:"long"}));
  t("c1", () => new Date(p.timestamp).toLocaleDateString('en-US', {dateStyle:"medium"}));
  t("c2", () => new Date(p.timestamp).toLocaleDateString('en-US', {dateStyle:"short"}));
  t("c3", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {dateStyle:"long"}));
  t("c4", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {dateStyle:"medium"}));
  t("c5", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {dateStyle:"short"}));
  webhook.payload = r;
  return webhook;
}
