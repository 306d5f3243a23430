// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('en-US', {signDisplay:'auto'}).format(5));
  t("c1", () => new Intl.NumberFormat('en-US', {signDisplay:'auto'}).format(-5));
  t("c2", () => new Intl.NumberFormat('en-US', {signDisplay:'auto'}).format(0));
  t("c3", () => new Intl.NumberFormat('en-US', {signDisplay:'auto'}).format(-0));
  t("c4", () => new Intl.NumberFormat('en-US', {signDisplay:'auto'}).format(0.0001));
  t("c5", () => new Intl.NumberFormat('en-US', {signDisplay:'always'}).format(5));
  t("c6", () => new Intl.NumberFormat('en-US', {signDisplay:'always'}).format(-5));
  t("c7", () => new Intl.NumberFormat('en-US', {signDisplay:'always'}).format(0));
  t("c8", () => new Intl.NumberFormat('en-US', {signDisplay:'always'}).format(-0));
  t("c9", () => new Intl.NumberFormat('en-US', {signDisplay:'always'}).format(0.0001));
  t("c10", () => new Intl.NumberFormat('en-US', {signDisplay:'never'}).format(5));
  t("c11", () => new Intl.NumberFormat('en-US', {signDisplay:'never'}).format(-5));
  t("c12", () => new Intl.NumberFormat('en-US', {signDisplay:'never'}).format(0));
  t("c13", () => new Intl.NumberFormat('en-US', {signDisplay:'never'}).format(-0));
  t("c14", () => new Intl.NumberFormat('en-US', {signDisplay:'never'}).format(0.0001));
  t("c15", () => new Intl.NumberFormat('en-US', {signDisplay:'exceptZero'}).format(5));
  t("c16", () => new Intl.NumberFormat('en-US', {signDisplay:'exceptZero'}).format(-5));
  t("c17", () => new Intl.NumberFormat('en-US', {signDisplay:'exceptZero'}).format(0));
  t("c18", () => new Intl.NumberFormat('en-US', {signDisplay:'exceptZero'}).format(-0));
  t("c19", () => new Intl.NumberFormat('en-US', {signDisplay:'exceptZero'}).format(0.0001));
  t("c20", () => new Intl.NumberFormat('en-US', {signDisplay:'negative'}).format(5));
  t("c21", () => new Intl.NumberFormat('en-US', {signDisplay:'negative'}).format(-5));
  t("c22", () => new Intl.NumberFormat('en-US', {signDisplay:'negative'}).format(0));
  t("c23", () => new Intl.NumberFormat('en-US', {signDisplay:'negative'}).format(-0));
  t("c24", () => new Intl.NumberFormat('en-US', {signDisplay:'negative'}).format(0.0001));
  webhook.payload = r;
  return webhook;
}
