// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date().toLocaleString('en-US', {timeZone:'Mars/Olympus'}));
  t("c1", () => new Intl.DateTimeFormat('en', {timeZone:'+05:30'}));
  t("c2", () => new Intl.DateTimeFormat('en', {timeZone:'america/new_york'}).resolvedOptions().timeZone);
  t("c3", () => new Intl.DateTimeFormat('en', {timeZone:'utc'}).resolvedOptions().timeZone);
  webhook.payload = r;
  return webhook;
}
