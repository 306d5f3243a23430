// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('en-US', {notation:'compact', style:'currency', currency:'USD'}).format(1234));
  t("c1", () => new Intl.NumberFormat('en-US', {notation:'compact', style:'currency', currency:'USD'}).format(1234567));
  t("c2", () => new Intl.NumberFormat('en-US', {notation:'compact', style:'currency', currency:'USD'}).format(999.99));
  t("c3", () => new Intl.NumberFormat('en-US', {notation:'compact', style:'currency', currency:'USD'}).format(5));
  webhook.payload = r;
  return webhook;
}
