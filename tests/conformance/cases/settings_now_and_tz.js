// @settings {"now": "2025-08-04T02:30:45Z", "timeZone": "America/Los_Angeles"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date().toString());
  t("c1", () => new Date().toLocaleString());
  t("c2", () => new Date().getDate());
  t("c3", () => Date());
  webhook.payload = r;
  return webhook;
}
