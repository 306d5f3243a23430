// @settings {"now": "2025-08-04T05:30:45Z"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => Date.now());
  t("c1", () => new Date().toISOString());
  t("c2", () => new Date().toLocaleDateString());
  t("c3", () => new Date().toLocaleString());
  t("c4", () => Math.floor((Date.now() - new Date(p.timestamp).getTime()) / 86400000));
  t("c5", () => new Date().getFullYear());
  t("c6", () => typeof Date());
  t("c7", () => new Date(Date.now() + 7 * 864e5).toLocaleDateString('en-US', {month:'long', day:'numeric', year:'numeric'}));
  webhook.payload = r;
  return webhook;
}
