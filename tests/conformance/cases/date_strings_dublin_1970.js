// @settings {"timeZone": "Europe/Dublin"}
function handler(webhook) {
  const p = webhook.payload;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  for (const [i, ts] of ["1968-06-01T12:00:00Z", "1969-01-15T12:00:00Z", "1970-04-15T01:01:11Z", "1971-07-01T00:00:00Z", "1972-01-01T00:00:00Z", "2025-07-01T00:00:00Z", "2025-12-01T00:00:00Z", p.timestamp].entries()) {
    t("c" + i, () => { const d = new Date(ts); return [d.toString(), d.getTimezoneOffset(), d.toLocaleString("en-GB"), d.toLocaleString("en-GB", {timeZoneName: "long"})].join(" | "); });
  }
  webhook.payload = r;
  return webhook;
}
