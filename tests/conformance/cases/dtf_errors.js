// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.DateTimeFormat('en', {month:'longg'}));
  t("c1", () => new Intl.DateTimeFormat('en', {timeZone:'Mars/Base'}));
  t("c2", () => new Intl.DateTimeFormat('en_US'));
  t("c3", () => new Intl.DateTimeFormat('en', {dateStyle:'full', month:'long'}));
  t("c4", () => new Intl.DateTimeFormat('en', {dateStyle:'huge'}));
  t("c5", () => new Intl.DateTimeFormat().format(new Date(NaN)));
  t("c6", () => new Date(NaN).toLocaleDateString());
  t("c7", () => new Date('garbage').toLocaleString('en-US'));
  t("c8", () => new Intl.DateTimeFormat('en', {fractionalSecondDigits:4}));
  t("c9", () => new Intl.DateTimeFormat('en', {hourCycle:'h25'}));
  t("c10", () => new Intl.DateTimeFormat('en', {timeStyle:'short', timeZoneName:'short'}));
  webhook.payload = r;
  return webhook;
}
