// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'symbol'}));
  t("c1", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'EUR', currencyDisplay:'symbol'}));
  t("c2", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'GBP', currencyDisplay:'symbol'}));
  t("c3", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'INR', currencyDisplay:'symbol'}));
  t("c4", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'JPY', currencyDisplay:'symbol'}));
  t("c5", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CAD', currencyDisplay:'symbol'}));
  t("c6", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'AUD', currencyDisplay:'symbol'}));
  t("c7", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'BRL', currencyDisplay:'symbol'}));
  t("c8", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'MXN', currencyDisplay:'symbol'}));
  t("c9", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CHF', currencyDisplay:'symbol'}));
  t("c10", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KWD', currencyDisplay:'symbol'}));
  t("c11", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CNY', currencyDisplay:'symbol'}));
  t("c12", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KRW', currencyDisplay:'symbol'}));
  t("c13", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'SEK', currencyDisplay:'symbol'}));
  t("c14", () => (1).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'symbol'}));
  t("c15", () => (-5).toLocaleString('de-DE', {style:'currency', currency:'EUR', currencyDisplay:'symbol'}));
  webhook.payload = r;
  return webhook;
}
