// @settings {"locale": "de-DE", "timeZone": "Europe/Berlin"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString(undefined, {year: 'numeric', month: 'long', day: 'numeric'}));
  t("c1", () => new Date(p.timestamp).toLocaleDateString(undefined, {year: 'numeric', month: 'short', day: '2-digit'}));
  t("c2", () => new Date(p.timestamp).toLocaleDateString(undefined, {weekday: 'long', year: 'numeric', month: 'long', day: 'numeric'}));
  t("c3", () => new Date(p.timestamp).toLocaleDateString(undefined, {month: 'short', day: 'numeric'}));
  t("c4", () => new Date(p.timestamp).toLocaleDateString(undefined, {dateStyle: 'medium'}));
  t("c5", () => new Date(p.timestamp).toLocaleDateString(undefined, {dateStyle: 'long'}));
  t("c6", () => new Date(p.timestamp).toLocaleDateString(undefined, {dateStyle: 'full'}));
  t("c7", () => new Date(p.timestamp).toLocaleDateString(undefined, {year: 'numeric', month: '2-digit', day: '2-digit'}));
  t("c8", () => new Date(p.timestamp).toLocaleDateString(undefined, {month: 'long', year: 'numeric'}));
  t("c9", () => new Date(p.timestamp).toLocaleDateString(undefined, {timeZone: 'America/New_York', year: 'numeric', month: 'short', day: 'numeric'}));
  t("c10", () => new Date(p.timestamp).toLocaleDateString(undefined, {weekday: 'short'}));
  t("c11", () => new Date(p.timestamp).toLocaleDateString(undefined, {day: 'numeric', month: 'numeric'}));
  t("c12", () => new Date(p.timestamp).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'}));
  t("c13", () => new Date(p.timestamp).toLocaleString(undefined, {hour: 'numeric', minute: '2-digit'}));
  t("c14", () => new Date(p.timestamp).toLocaleString(undefined, {timeZone: 'UTC', timeZoneName: 'short'}));
  t("c15", () => new Date(p.timestamp).toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'}));
  t("c16", () => new Date(p.timestamp).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'}));
  t("c17", () => new Date(p.timestamp).toLocaleDateString([], {month: 'short', day: 'numeric', year: 'numeric'}));
  t("c18", () => new Intl.DateTimeFormat(undefined, {dateStyle: 'short'}).format(new Date(p.timestamp)));
  t("c19", () => new Intl.DateTimeFormat().resolvedOptions().locale);
  t("c20", () => new Intl.DateTimeFormat().resolvedOptions().timeZone);
  webhook.payload = r;
  return webhook;
}
