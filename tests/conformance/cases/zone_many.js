// Offsets and names of zones beyond the populous ones, at a winter and a summer instant, in
// several locales; ids are reported as ICU reports them (Asia/Kolkata → Asia/Calcutta).
function handler(webhook) {
  const zones = ["Asia/Kolkata", "Europe/Kyiv", "America/Argentina/Cordoba", "Pacific/Chatham", "Australia/Lord_Howe",
    "Asia/Kathmandu", "America/St_Johns", "Africa/Blantyre", "America/Atikokan", "Pacific/Kanton", "Asia/Famagusta",
    "America/Nuuk", "Atlantic/Azores", "Asia/Pyongyang", "Pacific/Marquesas", "Antarctica/Casey", "America/Montreal",
    "US/Eastern", "Europe/Belfast", "Asia/Ho_Chi_Minh", "Africa/Casablanca", "America/Indiana/Knox", "Asia/Tbilisi",
    "Indian/Maldives", "Pacific/Apia", "Etc/GMT-14", "EST", "America/Punta_Arenas", "Asia/Almaty", "Europe/Samara"];
  const times = [Date.UTC(2025, 0, 15, 12), Date.UTC(2025, 6, 15, 12), Date.UTC(2001, 2, 25, 1)];
  const out = {};
  for (const zone of zones) {
    const row = [new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone];
    for (const t of times) {
      row.push(new Date(t).toLocaleString("en-US", { timeZone: zone, timeZoneName: "longOffset", hourCycle: "h23" }));
    }
    for (const loc of ["en-US", "de", "ja", "pt-BR", "ar-EG"]) {
      for (const style of ["long", "shortGeneric"]) {
        row.push(new Intl.DateTimeFormat(loc, { timeZone: zone, timeZoneName: style }).formatToParts(times[1])
          .find((p) => p.type === "timeZoneName").value);
      }
    }
    out[zone] = row;
  }
  webhook.payload = out;
  return webhook;
}
