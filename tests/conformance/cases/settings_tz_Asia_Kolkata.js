// @settings {"timeZone": "Asia/Kolkata"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleString());
  t("c1", () => new Date(p.timestamp).toString());
  t("c2", () => new Date(p.timestamp).getHours());
  t("c3", () => new Date(p.timestamp).getTimezoneOffset());
  t("c4", () => new Date(p.timestamp).toDateString());
  t("c5", () => new Date(p.timestamp).toTimeString());
  t("c6", () => new Date(2025, 2, 9, 2, 30).toString());
  t("c7", () => new Date(2025, 10, 2, 1, 30).toISOString());
  t("c8", () => new Date(2025, 2, 30, 2, 30).toISOString());
  t("c9", () => new Date(2025, 9, 26, 2, 30).toISOString());
  t("c10", () => new Date('2025-08-04T10:00:00').toISOString());
  t("c11", () => new Date('2025-08-04').toISOString());
  t("c12", () => Date.parse('2025-01-15T08:00'));
  t("c13", () => (() => { const x = new Date(p.timestamp); x.setHours(0, 0, 0, 0); return x.toISOString(); })());
  t("c14", () => (() => { const x = new Date(p.timestamp); x.setDate(x.getDate() + 30); return x.toString(); })());
  t("c15", () => (() => { const x = new Date(p.timestamp); x.setMonth(x.getMonth() + 1, 0); return [x.getDate(), x.getDay(), x.toISOString()]; })());
  t("c16", () => new Date(2025, 0, 31).getMonth());
  t("c17", () => Intl.DateTimeFormat().resolvedOptions().timeZone);
  t("c18", () => new Date(2024, 1, 29, 23, 59, 59, 999).getTime());
  t("c19", () => new Date(99, 0).getFullYear());
  webhook.payload = r;
  return webhook;
}
