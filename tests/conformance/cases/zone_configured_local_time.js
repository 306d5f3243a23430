// Local-time methods in a configured zone that is not embedded (fetched when configured).
// @settings {"locale": "pt-BR", "timeZone": "America/Argentina/Salta", "now": "2025-08-04T05:30:45Z"}
// @samples payment.succeeded
function handler(webhook) {
  const d = new Date();
  webhook.payload = {
    str: d.toString(), local: [d.getHours(), d.getMinutes(), d.getTimezoneOffset()],
    made: new Date(2025, 0, 1, 12).toISOString(), text: d.toLocaleString(),
    zone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
    tokyo: d.toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", timeZoneName: "long" }),
  };
  return webhook;
}
