// @settings {"timeZone": "Europe/Berlin"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (() => { const x = new Date(p.timestamp); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c1", () => (() => { const x = new Date(d.created_at || p.timestamp); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c2", () => (() => { const x = new Date('2025-01-15T12:00:00Z'); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c3", () => (() => { const x = new Date('2025-07-15T23:59:59.999Z'); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c4", () => (() => { const x = new Date('1969-12-31T23:59:59Z'); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c5", () => (() => { const x = new Date('0099-06-01T00:00:00Z'); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c6", () => (() => { const x = new Date('-000001-01-01T00:00:00Z'); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c7", () => (() => { const x = new Date('+275760-09-13T00:00:00Z'); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c8", () => (() => { const x = new Date('2025-03-09T07:30:00Z'); return [x.toISOString(), x.toUTCString(), x.toString(), x.toDateString(), x.toTimeString(), x.toJSON(), x.getTimezoneOffset(), x.getDay(), x.getHours(), String(x), x.toGMTString()].join(' | '); })());
  t("c9", () => String(new Date(NaN)));
  t("c10", () => new Date(NaN).toJSON());
  t("c11", () => (() => { try { return new Date(NaN).toISOString(); } catch (e) { return e.name + ': ' + e.message; } })());
  t("c12", () => new Date(NaN).toDateString());
  t("c13", () => JSON.stringify({at: new Date(p.timestamp)}));
  t("c14", () => new Date(2025, 0, 31).toString());
  t("c15", () => new Date(2025, 1, 29).toDateString());
  t("c16", () => new Date(2025, 11, 31, 23, 59, 59, 999).toISOString());
  t("c17", () => new Date(0).getTimezoneOffset());
  t("c18", () => typeof Date());
  t("c19", () => new Date(8.64e15 + 1).getTime());
  webhook.payload = r;
  return webhook;
}
