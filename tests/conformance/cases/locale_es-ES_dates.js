// @samples payment.succeeded subscription.renewed
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString('es-ES'));
  t("c1", () => new Date(p.timestamp).toLocaleTimeString('es-ES'));
  t("c2", () => new Date(p.timestamp).toLocaleString('es-ES'));
  t("c3", () => new Date(p.timestamp).toLocaleDateString('es-ES', {year:'numeric',month:'long',day:'numeric'}));
  t("c4", () => new Date(p.timestamp).toLocaleDateString('es-ES', {weekday:'long',year:'numeric',month:'long',day:'numeric'}));
  t("c5", () => new Date(p.timestamp).toLocaleDateString('es-ES', {month:'short',day:'numeric'}));
  t("c6", () => new Date(p.timestamp).toLocaleDateString('es-ES', {year:'numeric',month:'2-digit',day:'2-digit'}));
  t("c7", () => new Date(p.timestamp).toLocaleTimeString('es-ES', {hour:'2-digit',minute:'2-digit'}));
  t("c8", () => new Date('2025-03-04T17:08:09Z').toLocaleString('es-ES', {dateStyle:'medium',timeStyle:'short'}));
  t("c9", () => new Date('2025-03-04T17:08:09Z').toLocaleString('es-ES', {dateStyle:'long'}));
  t("c10", () => new Date('2025-03-04T17:08:09Z').toLocaleString('es-ES', {dateStyle:'full',timeStyle:'short'}));
  webhook.payload = r;
  return webhook;
}
