function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (() => { const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false}).formatToParts(new Date(p.timestamp)).map(x => [x.type, x.value])); return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`; })());
  t("c1", () => (() => { const parts = new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'short'}).formatToParts(new Date(p.timestamp)); return JSON.stringify(parts); })());
  t("c2", () => new Intl.DateTimeFormat('en-US', {timeZone: 'Asia/Tokyo', hour: 'numeric', hourCycle: 'h23'}).formatToParts(new Date(p.timestamp)).find(x => x.type === 'hour').value);
  t("c3", () => JSON.stringify(new Intl.DateTimeFormat('en-US', {month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone: 'America/Los_Angeles'}).formatToParts(new Date(p.timestamp))));
  t("c4", () => JSON.stringify(new Intl.DateTimeFormat('en-US', {timeStyle: 'short', timeZone: 'America/New_York'}).formatToParts(new Date(p.timestamp))));
  t("c5", () => JSON.stringify(new Intl.DateTimeFormat('en-US', {hour: 'numeric', hour12: true}).formatToParts(new Date(p.timestamp))));
  t("c6", () => JSON.stringify(new Intl.DateTimeFormat('en-IN', {dateStyle: 'medium', timeStyle: 'short'}).formatToParts(new Date(p.timestamp))));
  t("c7", () => JSON.stringify(new Intl.DateTimeFormat('en-AU', {weekday: 'short', hour: 'numeric', minute: 'numeric'}).formatToParts(new Date(p.timestamp))));
  t("c8", () => new Date(p.timestamp).toLocaleTimeString('en-US', {timeZone: 'America/Chicago'}));
  t("c9", () => JSON.stringify(new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD'}).formatToParts(-1234.5)));
  t("c10", () => JSON.stringify(new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR'}).formatToParts(1234.5)));
  t("c11", () => new Date(p.timestamp).toLocaleDateString('en-CA'));
  t("c12", () => new Date(p.timestamp).toLocaleDateString('en-CA', {timeZone: 'America/Toronto'}));
  t("c13", () => new Date(p.timestamp).toLocaleString('sv-SE', {timeZone: 'Europe/Stockholm'}));
  t("c14", () => new Date(p.timestamp).toLocaleString('en-CA'));
  t("c15", () => new Date(p.timestamp).toLocaleDateString('sv-SE'));
  t("c16", () => new Date(p.timestamp).toLocaleString('en-CA', {dateStyle: 'short', timeStyle: 'short'}));
  t("c17", () => new Date(p.timestamp).toLocaleDateString('fr-CA'));
  webhook.payload = r;
  return webhook;
}
