// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'name'}));
  t("c1", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'EUR', currencyDisplay:'name'}));
  t("c2", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'GBP', currencyDisplay:'name'}));
  t("c3", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'INR', currencyDisplay:'name'}));
  t("c4", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'JPY', currencyDisplay:'name'}));
  t("c5", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CAD', currencyDisplay:'name'}));
  t("c6", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'AUD', currencyDisplay:'name'}));
  t("c7", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'BRL', currencyDisplay:'name'}));
  t("c8", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'MXN', currencyDisplay:'name'}));
  t("c9", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CHF', currencyDisplay:'name'}));
  t("c10", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KWD', currencyDisplay:'name'}));
  t("c11", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CNY', currencyDisplay:'name'}));
  t("c12", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KRW', currencyDisplay:'name'}));
  t("c13", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'SEK', currencyDisplay:'name'}));
  t("c14", () => (1).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'name'}));
  t("c15", () => (-5).toLocaleString('de-DE', {style:'currency', currency:'EUR', currencyDisplay:'name'}));
  webhook.payload = r;
  return webhook;
}
