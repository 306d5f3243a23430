// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date("2025-08-23T12:01:51Z").toLocaleDateString());
  t("c1", () => new Date("2025-07-23T00:30:00Z").toLocaleDateString());
  t("c2", () => new Date("2025-01-01T00:00:00Z").toLocaleDateString());
  t("c3", () => new Date("2025-03-09T06:59:59Z").toLocaleDateString());
  t("c4", () => new Date("2025-03-09T07:00:00Z").toLocaleDateString());
  t("c5", () => new Date("2025-11-02T05:30:00Z").toLocaleDateString());
  t("c6", () => new Date("2025-11-02T06:30:00Z").toLocaleDateString());
  t("c7", () => new Date("2025-03-30T00:59:59Z").toLocaleDateString());
  t("c8", () => new Date("2025-03-30T01:00:00Z").toLocaleDateString());
  t("c9", () => new Date("2025-10-26T00:30:00Z").toLocaleDateString());
  t("c10", () => new Date("2024-02-29T23:59:59.999Z").toLocaleDateString());
  t("c11", () => new Date("1999-12-31T23:59:59Z").toLocaleDateString());
  t("c12", () => new Date("2038-01-19T03:14:08Z").toLocaleDateString());
  t("c13", () => new Date("2050-06-15T12:00:00Z").toLocaleDateString());
  t("c14", () => new Date("1970-01-01T00:00:00Z").toLocaleDateString());
  t("c15", () => new Date("2025-12-31T23:30:00Z").toLocaleDateString());
  webhook.payload = r;
  return webhook;
}
