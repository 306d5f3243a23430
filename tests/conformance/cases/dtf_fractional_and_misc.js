// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.DateTimeFormat('en-US', {minute:'2-digit', second:'2-digit', fractionalSecondDigits:3}).format(new Date('2025-01-01T10:20:30.456Z')));
  t("c1", () => new Intl.DateTimeFormat('en-US', {hour:'numeric', minute:'2-digit', second:'2-digit', fractionalSecondDigits:2}).format(new Date('2025-01-01T10:20:30.456Z')));
  t("c2", () => new Intl.DateTimeFormat('en-US').format(0));
  t("c3", () => new Intl.DateTimeFormat('en-US').format(Date.UTC(2025, 0, 5)));
  t("c4", () => Intl.DateTimeFormat('en-US', {era:'short', year:'numeric'}).format(new Date(p.timestamp)));
  t("c5", () => new Intl.DateTimeFormat('en-US', {year:'numeric', month:'long', day:'numeric', hour:'numeric', hour12:false}).format(new Date(p.timestamp)));
  t("c6", () => [new Date('2025-01-05T00:00:00Z'), new Date('2025-06-15T12:00:00Z')].map(new Intl.DateTimeFormat('en-GB', {dateStyle:'medium'}).format).join(' / '));
  t("c7", () => Object.prototype.toString.call(new Intl.DateTimeFormat()));
  webhook.payload = r;
  return webhook;
}
