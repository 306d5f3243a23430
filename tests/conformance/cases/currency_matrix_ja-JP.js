// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'USD'}).format(d.total_amount / 100));
  t("c1", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'USD'}).format(-1234567.891));
  t("c2", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'USD'}).format(0.5));
  t("c3", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'EUR'}).format(d.total_amount / 100));
  t("c4", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'EUR'}).format(-1234567.891));
  t("c5", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'EUR'}).format(0.5));
  t("c6", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'GBP'}).format(d.total_amount / 100));
  t("c7", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'GBP'}).format(-1234567.891));
  t("c8", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'GBP'}).format(0.5));
  t("c9", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'INR'}).format(d.total_amount / 100));
  t("c10", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'INR'}).format(-1234567.891));
  t("c11", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'INR'}).format(0.5));
  t("c12", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'JPY'}).format(d.total_amount / 100));
  t("c13", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'JPY'}).format(-1234567.891));
  t("c14", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'JPY'}).format(0.5));
  t("c15", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'BRL'}).format(d.total_amount / 100));
  t("c16", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'BRL'}).format(-1234567.891));
  t("c17", () => new Intl.NumberFormat('ja-JP', {style:'currency', currency:'BRL'}).format(0.5));
  webhook.payload = r;
  return webhook;
}
