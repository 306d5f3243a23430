// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => JSON.stringify(new Intl.DateTimeFormat().resolvedOptions()));
  t("c1", () => JSON.stringify(new Intl.DateTimeFormat('en-GB', {hour:'numeric', minute:'numeric'}).resolvedOptions()));
  t("c2", () => JSON.stringify(new Intl.DateTimeFormat('en-US', {dateStyle:'medium', timeStyle:'short', timeZone:'Asia/Kolkata'}).resolvedOptions()));
  t("c3", () => JSON.stringify(new Intl.DateTimeFormat('ja-JP', {month:'long', day:'numeric', weekday:'short'}).resolvedOptions()));
  t("c4", () => JSON.stringify(new Intl.DateTimeFormat('en-US', {hour:'2-digit', hour12:true}).resolvedOptions()));
  t("c5", () => Intl.DateTimeFormat().resolvedOptions().timeZone);
  t("c6", () => new Intl.DateTimeFormat('en-US', {timeZone:'Asia/Kolkata'}).resolvedOptions().timeZone);
  webhook.payload = r;
  return webhook;
}
