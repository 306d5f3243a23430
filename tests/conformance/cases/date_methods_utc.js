function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).getUTCFullYear());
  t("c1", () => new Date(p.timestamp).getUTCMonth());
  t("c2", () => new Date(p.timestamp).getUTCDate());
  t("c3", () => new Date(p.timestamp).getUTCDay());
  t("c4", () => new Date(p.timestamp).getUTCHours());
  t("c5", () => new Date(p.timestamp).toISOString());
  t("c6", () => new Date(p.timestamp).toJSON());
  t("c7", () => new Date(p.timestamp).toUTCString());
  t("c8", () => new Date(p.timestamp).valueOf());
  t("c9", () => new Date(p.timestamp).getTime());
  t("c10", () => new Date(p.timestamp).getFullYear());
  t("c11", () => new Date(p.timestamp).getMonth());
  t("c12", () => new Date(p.timestamp).getDate());
  t("c13", () => new Date(p.timestamp).getDay());
  t("c14", () => new Date(p.timestamp).getHours());
  t("c15", () => new Date(p.timestamp).getMinutes());
  t("c16", () => new Date(p.timestamp).getSeconds());
  t("c17", () => new Date(p.timestamp).getMilliseconds());
  t("c18", () => new Date(p.timestamp).getTimezoneOffset());
  t("c19", () => new Date(p.timestamp).toString());
  t("c20", () => new Date(p.timestamp).toDateString());
  t("c21", () => new Date(p.timestamp).toTimeString());
  webhook.payload = r;
  return webhook;
}
