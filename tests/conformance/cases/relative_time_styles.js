// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.RelativeTimeFormat('en-US', {style:'long'}).format(-1, 'hour'));
  t("c1", () => new Intl.RelativeTimeFormat('en-US', {style:'long'}).format(3, 'quarter'));
  t("c2", () => new Intl.RelativeTimeFormat('en-US', {style:'long'}).format(-10, 'second'));
  t("c3", () => new Intl.RelativeTimeFormat('en-US', {style:'long'}).format(1.5, 'day'));
  t("c4", () => new Intl.RelativeTimeFormat('en-US', {style:'short'}).format(-1, 'hour'));
  t("c5", () => new Intl.RelativeTimeFormat('en-US', {style:'short'}).format(3, 'quarter'));
  t("c6", () => new Intl.RelativeTimeFormat('en-US', {style:'short'}).format(-10, 'second'));
  t("c7", () => new Intl.RelativeTimeFormat('en-US', {style:'short'}).format(1.5, 'day'));
  t("c8", () => new Intl.RelativeTimeFormat('en-US', {style:'narrow'}).format(-1, 'hour'));
  t("c9", () => new Intl.RelativeTimeFormat('en-US', {style:'narrow'}).format(3, 'quarter'));
  t("c10", () => new Intl.RelativeTimeFormat('en-US', {style:'narrow'}).format(-10, 'second'));
  t("c11", () => new Intl.RelativeTimeFormat('en-US', {style:'narrow'}).format(1.5, 'day'));
  t("c12", () => new Intl.RelativeTimeFormat('en').format(1, 'fortnight'));
  t("c13", () => new Intl.RelativeTimeFormat('en').format(NaN, 'day'));
  t("c14", () => (() => { const days = Math.round((new Date(d.created_at || p.timestamp) - new Date(p.timestamp)) / 864e5); return new Intl.RelativeTimeFormat('en', {numeric:'auto'}).format(days, 'day'); })());
  webhook.payload = r;
  return webhook;
}
