// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => JSON.stringify(new Intl.NumberFormat().resolvedOptions()));
  t("c1", () => JSON.stringify(new Intl.NumberFormat('de-DE', {style:'currency', currency:'eur'}).resolvedOptions()));
  t("c2", () => JSON.stringify(new Intl.NumberFormat('en', {maximumSignificantDigits:3}).resolvedOptions()));
  t("c3", () => JSON.stringify(new Intl.NumberFormat('en', {style:'percent'}).resolvedOptions()));
  webhook.payload = r;
  return webhook;
}
