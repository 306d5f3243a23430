function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(Date.UTC(2025, 0, 31) + 864e5).toISOString());
  t("c1", () => new Date(2025, 0, 31, 12).toISOString());
  t("c2", () => new Date(2025, 1, 29).toDateString());
  t("c3", () => new Date(2025, 11, 31, 23, 59, 60).toISOString());
  t("c4", () => new Date(0, 0, 1).getFullYear());
  t("c5", () => new Date(-1).toISOString());
  t("c6", () => new Date(8.64e15).toISOString());
  t("c7", () => new Date(8.64e15 + 1).getTime());
  t("c8", () => Date.UTC(2025));
  t("c9", () => new Date(2025, 0).getDay());
  t("c10", () => new Date(new Date(p.timestamp)).getTime() === new Date(p.timestamp).getTime());
  t("c11", () => new Date(p.timestamp) instanceof Date);
  t("c12", () => Object.prototype.toString.call(new Date()));
  t("c13", () => typeof Date.now());
  t("c14", () => new Date(p.timestamp) - new Date('2025-01-01'));
  t("c15", () => (() => { const x = new Date(p.timestamp); x.setUTCHours(48); return x.toISOString(); })());
  t("c16", () => (() => { const x = new Date(NaN); return [x.setHours(1), x.setFullYear(2020), x.toISOString()]; })());
  t("c17", () => Date.prototype.constructor === Date);
  t("c18", () => Date.length);
  t("c19", () => Date.name);
  t("c20", () => new Date(2025, 7, 4).valueOf());
  t("c21", () => new Date('2025-08-04T05:30:45Z').getYear());
  webhook.payload = r;
  return webhook;
}
