// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(0));
  t("c1", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(0));
  t("c2", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(999));
  t("c3", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(999));
  t("c4", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(1000));
  t("c5", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(1000));
  t("c6", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(1500));
  t("c7", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(1500));
  t("c8", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(999999));
  t("c9", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(999999));
  t("c10", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(1234567));
  t("c11", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(1234567));
  t("c12", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(15000000000));
  t("c13", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(15000000000));
  t("c14", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(-2500));
  t("c15", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(-2500));
  t("c16", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(0.5));
  t("c17", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(0.5));
  t("c18", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(123.456));
  t("c19", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(123.456));
  t("c20", () => new Intl.NumberFormat('en-US', {notation:'compact'}).format(1e15));
  t("c21", () => new Intl.NumberFormat('en-US', {notation:'compact', compactDisplay:'long'}).format(1e15));
  webhook.payload = r;
  return webhook;
}
