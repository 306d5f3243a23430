// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'code'}));
  t("c1", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'EUR', currencyDisplay:'code'}));
  t("c2", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'GBP', currencyDisplay:'code'}));
  t("c3", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'INR', currencyDisplay:'code'}));
  t("c4", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'JPY', currencyDisplay:'code'}));
  t("c5", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CAD', currencyDisplay:'code'}));
  t("c6", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'AUD', currencyDisplay:'code'}));
  t("c7", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'BRL', currencyDisplay:'code'}));
  t("c8", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'MXN', currencyDisplay:'code'}));
  t("c9", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CHF', currencyDisplay:'code'}));
  t("c10", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KWD', currencyDisplay:'code'}));
  t("c11", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CNY', currencyDisplay:'code'}));
  t("c12", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KRW', currencyDisplay:'code'}));
  t("c13", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'SEK', currencyDisplay:'code'}));
  t("c14", () => (1).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'code'}));
  t("c15", () => (-5).toLocaleString('de-DE', {style:'currency', currency:'EUR', currencyDisplay:'code'}));
  webhook.payload = r;
  return webhook;
}
