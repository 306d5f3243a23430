function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString('en-US', {weekday:"short"}));
  t("c1", () => new Date(p.timestamp).toLocaleDateString('en-US', {weekday:"long",year:"numeric",month:"long",day:"numeric"}));
  t("c2", () => new Date(p.timestamp).toLocaleDateString('en-US', {weekday:"short",month:"short",day:"numeric"}));
  t("c3", () => new Date(p.timestamp).toLocaleDateString('en-US', {year:"numeric"}));
  t("c4", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {weekday:"short"}));
  t("c5", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {weekday:"long",year:"numeric",month:"long",day:"numeric"}));
  t("c6", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {weekday:"short",month:"short",day:"numeric"}));
  t("c7", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {year:"numeric"}));
  webhook.payload = r;
  return webhook;
}
