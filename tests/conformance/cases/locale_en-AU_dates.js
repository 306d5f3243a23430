// @samples payment.succeeded subscription.renewed
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString('en-AU'));
  t("c1", () => new Date(p.timestamp).toLocaleTimeString('en-AU'));
  t("c2", () => new Date(p.timestamp).toLocaleString('en-AU'));
  t("c3", () => new Date(p.timestamp).toLocaleDateString('en-AU', {year:'numeric',month:'long',day:'numeric'}));
  t("c4", () => new Date(p.timestamp).toLocaleDateString('en-AU', {weekday:'long',year:'numeric',month:'long',day:'numeric'}));
  t("c5", () => new Date(p.timestamp).toLocaleDateString('en-AU', {month:'short',day:'numeric'}));
  t("c6", () => new Date(p.timestamp).toLocaleDateString('en-AU', {year:'numeric',month:'2-digit',day:'2-digit'}));
  t("c7", () => new Date(p.timestamp).toLocaleTimeString('en-AU', {hour:'2-digit',minute:'2-digit'}));
  t("c8", () => new Date('2025-03-04T17:08:09Z').toLocaleString('en-AU', {dateStyle:'medium',timeStyle:'short'}));
  t("c9", () => new Date('2025-03-04T17:08:09Z').toLocaleString('en-AU', {dateStyle:'long'}));
  t("c10", () => new Date('2025-03-04T17:08:09Z').toLocaleString('en-AU', {dateStyle:'full',timeStyle:'short'}));
  webhook.payload = r;
  return webhook;
}
