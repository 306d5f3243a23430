// @settings {"locale": "fr-FR"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat(undefined, {style: 'currency', currency: d.currency || 'USD'}).format((d.total_amount || d.amount || 0) / 100));
  t("c1", () => new Intl.NumberFormat(undefined, {style: 'currency', currency: 'USD'}).format(1234.5));
  t("c2", () => new Intl.NumberFormat(undefined, {style: 'currency', currency: 'EUR'}).format(1234.5));
  t("c3", () => new Intl.NumberFormat(undefined, {style: 'currency', currency: 'GBP'}).format(1234.5));
  t("c4", () => new Intl.NumberFormat(undefined, {style: 'currency', currency: 'INR'}).format(1234.5));
  t("c5", () => new Intl.NumberFormat(undefined, {style: 'currency', currency: 'BRL'}).format(1234.5));
  t("c6", () => new Intl.NumberFormat(undefined, {style: 'currency', currency: 'JPY'}).format(1234.5));
  t("c7", () => (1234.5).toLocaleString(undefined, {style: 'currency', currency: 'USD', currencyDisplay: 'code'}));
  t("c8", () => (1234.5).toLocaleString(undefined, {style: 'currency', currency: 'EUR', currencyDisplay: 'code'}));
  t("c9", () => (1234.5).toLocaleString(undefined, {style: 'currency', currency: 'INR', currencyDisplay: 'code'}));
  t("c10", () => (-1234.5).toLocaleString(undefined, {style: 'currency', currency: 'USD', currencySign: 'accounting'}));
  t("c11", () => (1234.5).toLocaleString());
  t("c12", () => (1234.5).toLocaleString(undefined, {maximumFractionDigits: 0}));
  webhook.payload = r;
  return webhook;
}
