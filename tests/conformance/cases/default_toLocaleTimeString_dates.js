// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date("2025-08-23T12:01:51Z").toLocaleTimeString());
  t("c1", () => new Date("2025-07-23T00:30:00Z").toLocaleTimeString());
  t("c2", () => new Date("2025-01-01T00:00:00Z").toLocaleTimeString());
  t("c3", () => new Date("2025-03-09T06:59:59Z").toLocaleTimeString());
  t("c4", () => new Date("2025-03-09T07:00:00Z").toLocaleTimeString());
  t("c5", () => new Date("2025-11-02T05:30:00Z").toLocaleTimeString());
  t("c6", () => new Date("2025-11-02T06:30:00Z").toLocaleTimeString());
  t("c7", () => new Date("2025-03-30T00:59:59Z").toLocaleTimeString());
  t("c8", () => new Date("2025-03-30T01:00:00Z").toLocaleTimeString());
  t("c9", () => new Date("2025-10-26T00:30:00Z").toLocaleTimeString());
  t("c10", () => new Date("2024-02-29T23:59:59.999Z").toLocaleTimeString());
  t("c11", () => new Date("1999-12-31T23:59:59Z").toLocaleTimeString());
  t("c12", () => new Date("2038-01-19T03:14:08Z").toLocaleTimeString());
  t("c13", () => new Date("2050-06-15T12:00:00Z").toLocaleTimeString());
  t("c14", () => new Date("1970-01-01T00:00:00Z").toLocaleTimeString());
  t("c15", () => new Date("2025-12-31T23:30:00Z").toLocaleTimeString());
  webhook.payload = r;
  return webhook;
}
