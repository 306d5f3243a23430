// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (1234.5678).toLocaleString('en-US', {maximumSignificantDigits:3}));
  t("c1", () => (1234.5678).toLocaleString('en-US', {minimumSignificantDigits:5}));
  t("c2", () => (1234.5678).toLocaleString('en-US', {maximumSignificantDigits:1}));
  t("c3", () => (1234.5678).toLocaleString('en-US', {minimumSignificantDigits:2, maximumSignificantDigits:2}));
  t("c4", () => (0.000123456).toLocaleString('en-US', {maximumSignificantDigits:3}));
  t("c5", () => (0.000123456).toLocaleString('en-US', {minimumSignificantDigits:5}));
  t("c6", () => (0.000123456).toLocaleString('en-US', {maximumSignificantDigits:1}));
  t("c7", () => (0.000123456).toLocaleString('en-US', {minimumSignificantDigits:2, maximumSignificantDigits:2}));
  t("c8", () => (98765).toLocaleString('en-US', {maximumSignificantDigits:3}));
  t("c9", () => (98765).toLocaleString('en-US', {minimumSignificantDigits:5}));
  t("c10", () => (98765).toLocaleString('en-US', {maximumSignificantDigits:1}));
  t("c11", () => (98765).toLocaleString('en-US', {minimumSignificantDigits:2, maximumSignificantDigits:2}));
  t("c12", () => (0).toLocaleString('en-US', {maximumSignificantDigits:3}));
  t("c13", () => (0).toLocaleString('en-US', {minimumSignificantDigits:5}));
  t("c14", () => (0).toLocaleString('en-US', {maximumSignificantDigits:1}));
  t("c15", () => (0).toLocaleString('en-US', {minimumSignificantDigits:2, maximumSignificantDigits:2}));
  webhook.payload = r;
  return webhook;
}
