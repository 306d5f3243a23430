// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date('2025-08-04').getTime());
  t("c1", () => new Date('2025-08-04T05:30:45Z').getTime());
  t("c2", () => new Date('2025-08-04T05:30:45.123456Z').getTime());
  t("c3", () => new Date('2025-08-04T05:30:45+05:30').getTime());
  t("c4", () => new Date('2025-08').getTime());
  t("c5", () => new Date('2025').getTime());
  t("c6", () => new Date('2025-08-04T05:30:45.1Z').getTime());
  t("c7", () => new Date('2025-02-30').getTime());
  t("c8", () => new Date('2025-13-01').getTime());
  t("c9", () => new Date('+002025-08-04T00:00:00Z').getTime());
  t("c10", () => new Date('2025-08-04T24:00:00Z').getTime());
  webhook.payload = r;
  return webhook;
}
