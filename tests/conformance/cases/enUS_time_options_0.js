// @samples payment.succeeded dispute.opened
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleTimeString('en-US', {hour:"2-digit",minute:"2-digit"}));
  t("c1", () => new Date(p.timestamp).toLocaleTimeString('en-US', {hour:"numeric",minute:"2-digit"}));
  t("c2", () => new Date(p.timestamp).toLocaleTimeString('en-US', {hour:"numeric"}));
  t("c3", () => new Date(p.timestamp).toLocaleTimeString('en-US', {hour:"2-digit",minute:"2-digit",second:"2-digit"}));
  t("c4", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {hour:"2-digit",minute:"2-digit"}));
  t("c5", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {hour:"numeric",minute:"2-digit"}));
  t("c6", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {hour:"numeric"}));
  t("c7", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {hour:"2-digit",minute:"2-digit",second:"2-digit"}));
  t("c8", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {hour:"2-digit",minute:"2-digit"}));
  t("c9", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {hour:"numeric",minute:"2-digit"}));
  t("c10", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {hour:"numeric"}));
  t("c11", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {hour:"2-digit",minute:"2-digit",second:"2-digit"}));
  webhook.payload = r;
  return webhook;
}
