function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleString('en-US', {hour12:false}));
  t("c1", () => new Date(p.timestamp).toLocaleString('en-US', {hour:"numeric",minute:"2-digit",timeZoneName:"short"}));
  t("c2", () => new Date(p.timestamp).toLocaleString('en-US', {year:"numeric",month:"long",day:"numeric",hour:"numeric",minute:"2-digit",second:"2-digit",timeZoneName:"short"}));
  t("c3", () => new Date('2025-12-03T00:05:06Z').toLocaleString('en-US', {hour12:false}));
  t("c4", () => new Date('2025-12-03T00:05:06Z').toLocaleString('en-US', {hour:"numeric",minute:"2-digit",timeZoneName:"short"}));
  t("c5", () => new Date('2025-12-03T00:05:06Z').toLocaleString('en-US', {year:"numeric",month:"long",day:"numeric",hour:"numeric",minute:"2-digit",second:"2-digit",timeZoneName:"short"}));
  webhook.payload = r;
  return webhook;
}
