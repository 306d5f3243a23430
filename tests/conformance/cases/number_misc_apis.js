// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => typeof Intl);
  t("c1", () => Object.prototype.toString.call(Intl));
  t("c2", () => Intl.NumberFormat.supportedLocalesOf(['en-US', 'de-DE']));
  t("c3", () => new Intl.NumberFormat('en-US').format('1234.5'));
  t("c4", () => Intl.NumberFormat('en-US').format(42));
  t("c5", () => [1, 22, 333].map(new Intl.NumberFormat('de-DE').format).join(' '));
  t("c6", () => (123456789n).toLocaleString('en-US'));
  t("c7", () => new Intl.NumberFormat('en-US').format(12345678901234567890n));
  webhook.payload = r;
  return webhook;
}
