// @samples payment.succeeded refund.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (1234567.891).toLocaleString('fr-FR'));
  t("c1", () => (d.total_amount / 100).toLocaleString('fr-FR', {style:'currency',currency:d.currency || 'USD'}));
  t("c2", () => (1234.5).toLocaleString('fr-FR', {style:'currency',currency:'EUR'}));
  t("c3", () => (1234.5).toLocaleString('fr-FR', {style:'currency',currency:'USD'}));
  t("c4", () => (1234.5).toLocaleString('fr-FR', {style:'currency',currency:'INR'}));
  t("c5", () => (1234.5).toLocaleString('fr-FR', {style:'currency',currency:'JPY'}));
  t("c6", () => (0.256).toLocaleString('fr-FR', {style:'percent'}));
  t("c7", () => (-9876.54321).toLocaleString('fr-FR', {maximumFractionDigits:2}));
  t("c8", () => new Intl.NumberFormat('fr-FR', {notation:'compact'}).format(1234567));
  t("c9", () => new Intl.NumberFormat('fr-FR', {notation:'compact', compactDisplay:'long'}).format(2500000));
  t("c10", () => (1234).toLocaleString('fr-FR'));
  t("c11", () => (12345).toLocaleString('fr-FR'));
  webhook.payload = r;
  return webhook;
}
