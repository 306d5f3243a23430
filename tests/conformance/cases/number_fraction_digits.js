// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (1234.5678).toLocaleString('en-US', {minimumFractionDigits:0}));
  t("c1", () => (1234.5678).toLocaleString('en-US', {maximumFractionDigits:0}));
  t("c2", () => (1234.5678).toLocaleString('en-US', {minimumFractionDigits:3}));
  t("c3", () => (1234.5678).toLocaleString('en-US', {maximumFractionDigits:1}));
  t("c4", () => (1234.5678).toLocaleString('en-US', {minimumFractionDigits:2, maximumFractionDigits:4}));
  t("c5", () => (1234.5678).toLocaleString('en-US', {maximumFractionDigits:5}));
  t("c6", () => (1234.5678).toLocaleString('en-US', {minimumIntegerDigits:6}));
  t("c7", () => (1234.5678).toLocaleString('en-US', {minimumFractionDigits:5, maximumFractionDigits:1}));
  t("c8", () => (1234.5678).toLocaleString('en-US', {maximumFractionDigits:101}));
  t("c9", () => (1234.5678).toLocaleString('en-US', {maximumFractionDigits:20}));
  webhook.payload = r;
  return webhook;
}
