// @samples payment.succeeded dispute.opened
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleTimeString('en-US', {timeStyle:"short"}));
  t("c1", () => new Date(p.timestamp).toLocaleTimeString('en-US', {timeStyle:"medium"}));
  t("c2", () => new Date(p.timestamp).toLocaleTimeString('en-US', {timeStyle:"long"}));
  t("c3", () => new Date(p.timestamp).toLocaleTimeString('en-US', {timeStyle:"full"}));
  t("c4", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {timeStyle:"short"}));
  t("c5", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {timeStyle:"medium"}));
  t("c6", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {timeStyle:"long"}));
  t("c7", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {timeStyle:"full"}));
  t("c8", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {timeStyle:"short"}));
  t("c9", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {timeStyle:"medium"}));
  t("c10", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {timeStyle:"long"}));
  t("c11", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {timeStyle:"full"}));
  webhook.payload = r;
  return webhook;
}
