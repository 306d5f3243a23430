function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleString('en-US', {dateStyle:"short",timeStyle:"short"}));
  t("c1", () => new Date(p.timestamp).toLocaleString('en-US', {weekday:"long",month:"long",day:"numeric",hour:"numeric"}));
  t("c2", () => new Date(p.timestamp).toLocaleString('en-US', {month:"short",day:"numeric",hour:"numeric",minute:"2-digit"}));
  t("c3", () => new Date('2025-12-03T00:05:06Z').toLocaleString('en-US', {dateStyle:"short",timeStyle:"short"}));
  t("c4", () => new Date('2025-12-03T00:05:06Z').toLocaleString('en-US', {weekday:"long",month:"long",day:"numeric",hour:"numeric"}));
  t("c5", () => new Date('2025-12-03T00:05:06Z').toLocaleString('en-US', {month:"short",day:"numeric",hour:"numeric",minute:"2-digit"}));
  webhook.payload = r;
  return webhook;
}
