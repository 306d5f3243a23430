// @samples payment.succeeded
// @settings {"locale": "fr-FR"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString());
  t("c1", () => new Date(p.timestamp).toLocaleString());
  t("c2", () => new Date(p.timestamp).toLocaleTimeString());
  t("c3", () => (1234567.891).toLocaleString());
  t("c4", () => (d.total_amount / 100).toLocaleString(undefined, {style:'currency', currency:'EUR'}));
  t("c5", () => new Intl.NumberFormat().resolvedOptions().locale);
  t("c6", () => new Intl.DateTimeFormat().resolvedOptions().locale);
  t("c7", () => new Intl.DateTimeFormat(undefined, {dateStyle:'long'}).format(new Date(p.timestamp)));
  webhook.payload = r;
  return webhook;
}
