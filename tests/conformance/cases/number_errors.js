// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('en', {style:'currency'}));
  t("c1", () => new Intl.NumberFormat('en', {style:'currency', currency:'US'}));
  t("c2", () => (1).toLocaleString('en', {maximumFractionDigits:101}));
  t("c3", () => (1).toLocaleString('en', {style:'bogus'}));
  t("c4", () => (1).toLocaleString('en', {notation:'x'}));
  t("c5", () => new Intl.NumberFormat('en', {minimumFractionDigits:3, maximumFractionDigits:1}));
  t("c6", () => new Intl.NumberFormat('en', {useGrouping:'x'}));
  t("c7", () => new Intl.NumberFormat('en', {signDisplay:'sometimes'}));
  t("c8", () => new Intl.NumberFormat('en', {maximumSignificantDigits:0}));
  t("c9", () => (1).toLocaleString('en_US'));
  webhook.payload = r;
  return webhook;
}
