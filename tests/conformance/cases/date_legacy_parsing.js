// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => Date.parse('Aug 4, 2025'));
  t("c1", () => Date.parse('August 4, 2025 10:30:00'));
  t("c2", () => Date.parse('Mon, 04 Aug 2025 05:30:45 GMT'));
  t("c3", () => Date.parse('2025/08/04'));
  t("c4", () => Date.parse('08/04/2025'));
  t("c5", () => Date.parse('Tue Aug 05 2025 10:00:00 GMT+0200'));
  t("c6", () => Date.parse('4 August 2025'));
  t("c7", () => Date.parse('Aug 4 2025 10:00 UTC'));
  t("c8", () => Date.parse('2025-08-04 05:30:45'));
  t("c9", () => Date.parse('not a date'));
  webhook.payload = r;
  return webhook;
}
