// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'narrowSymbol'}));
  t("c1", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'EUR', currencyDisplay:'narrowSymbol'}));
  t("c2", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'GBP', currencyDisplay:'narrowSymbol'}));
  t("c3", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'INR', currencyDisplay:'narrowSymbol'}));
  t("c4", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'JPY', currencyDisplay:'narrowSymbol'}));
  t("c5", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CAD', currencyDisplay:'narrowSymbol'}));
  t("c6", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'AUD', currencyDisplay:'narrowSymbol'}));
  t("c7", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'BRL', currencyDisplay:'narrowSymbol'}));
  t("c8", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'MXN', currencyDisplay:'narrowSymbol'}));
  t("c9", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CHF', currencyDisplay:'narrowSymbol'}));
  t("c10", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KWD', currencyDisplay:'narrowSymbol'}));
  t("c11", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'CNY', currencyDisplay:'narrowSymbol'}));
  t("c12", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'KRW', currencyDisplay:'narrowSymbol'}));
  t("c13", () => (1234.567).toLocaleString('en-US', {style:'currency', currency:'SEK', currencyDisplay:'narrowSymbol'}));
  t("c14", () => (1).toLocaleString('en-US', {style:'currency', currency:'USD', currencyDisplay:'narrowSymbol'}));
  t("c15", () => (-5).toLocaleString('de-DE', {style:'currency', currency:'EUR', currencyDisplay:'narrowSymbol'}));
  webhook.payload = r;
  return webhook;
}
