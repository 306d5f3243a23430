function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => JSON.stringify(new Intl.DateTimeFormat('en-US', {year:'numeric', month:'long', day:'numeric'}).formatToParts(new Date(p.timestamp))));
  t("c1", () => JSON.stringify(new Intl.DateTimeFormat('en-US', {hour:'numeric', minute:'2-digit', timeZone:'America/Chicago', timeZoneName:'short'}).formatToParts(new Date(p.timestamp))));
  t("c2", () => new Intl.DateTimeFormat('de-DE', {dateStyle:'full'}).formatToParts(new Date(p.timestamp)).filter(x => x.type !== 'literal').map(x => x.type + '=' + x.value).join('|'));
  t("c3", () => (() => { const o = {}; for (const x of new Intl.DateTimeFormat('en-US', {year:'numeric', month:'2-digit', day:'2-digit', hour:'2-digit', minute:'2-digit', second:'2-digit', hour12:false, timeZone:'Asia/Tokyo'}).formatToParts(new Date(p.timestamp))) o[x.type] = x.value; return o; })());
  webhook.payload = r;
  return webhook;
}
