// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('en-US', {style:'currency', currency:'USD', currencySign:'accounting'}).format(-12.5));
  t("c1", () => new Intl.NumberFormat('en-US', {style:'currency', currency:'USD', currencySign:'accounting'}).format(12.5));
  t("c2", () => new Intl.NumberFormat('de-DE', {style:'currency', currency:'USD', currencySign:'accounting'}).format(-12.5));
  t("c3", () => new Intl.NumberFormat('de-DE', {style:'currency', currency:'USD', currencySign:'accounting'}).format(12.5));
  t("c4", () => new Intl.NumberFormat('en-GB', {style:'currency', currency:'USD', currencySign:'accounting'}).format(-12.5));
  t("c5", () => new Intl.NumberFormat('en-GB', {style:'currency', currency:'USD', currencySign:'accounting'}).format(12.5));
  webhook.payload = r;
  return webhook;
}
