// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(1.005));
  t("c1", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(1.005));
  t("c2", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(1.005));
  t("c3", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(1.015));
  t("c4", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(1.015));
  t("c5", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(1.015));
  t("c6", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(1.025));
  t("c7", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(1.025));
  t("c8", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(1.025));
  t("c9", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(2.675));
  t("c10", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(2.675));
  t("c11", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(2.675));
  t("c12", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(0.125));
  t("c13", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(0.125));
  t("c14", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(0.125));
  t("c15", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(0.135));
  t("c16", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(0.135));
  t("c17", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(0.135));
  t("c18", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(1.45));
  t("c19", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(1.45));
  t("c20", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(1.45));
  t("c21", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(-1.005));
  t("c22", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(-1.005));
  t("c23", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(-1.005));
  t("c24", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(8.345));
  t("c25", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(8.345));
  t("c26", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(8.345));
  t("c27", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:0}).format(10.235));
  t("c28", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:1}).format(10.235));
  t("c29", () => new Intl.NumberFormat('en-US', {maximumFractionDigits:2}).format(10.235));
  webhook.payload = r;
  return webhook;
}
