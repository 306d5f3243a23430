// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => JSON.stringify(new Intl.NumberFormat('en-US', {style:'currency', currency:'USD'}).formatToParts(-1234.5)));
  t("c1", () => JSON.stringify(new Intl.NumberFormat('de-DE', {style:'currency', currency:'EUR'}).formatToParts(1234.5)));
  t("c2", () => JSON.stringify(new Intl.NumberFormat('en-US', {style:'percent'}).formatToParts(0.5)));
  t("c3", () => new Intl.NumberFormat('en-US', {style:'currency', currency:'USD'}).formatToParts(d.total_amount/100).map(x => x.type).join(','));
  webhook.payload = r;
  return webhook;
}
