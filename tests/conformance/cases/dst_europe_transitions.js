function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date('2025-03-30T00:59:59Z').toLocaleString('de-DE', {timeZone: 'Europe/Berlin', timeZoneName: 'short'}));
  t("c1", () => new Date('2025-03-30T00:59:59Z').toLocaleString('en-GB', {timeZone: 'Europe/London', timeZoneName: 'short'}));
  t("c2", () => new Date('2025-03-30T00:59:59Z').toLocaleString('fr-FR', {timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'full'}));
  t("c3", () => new Date('2025-03-30T00:59:59Z').toLocaleString('en-US', {timeZone: 'Europe/Lisbon', timeZoneName: 'long'}));
  t("c4", () => new Date('2025-03-30T01:00:00Z').toLocaleString('de-DE', {timeZone: 'Europe/Berlin', timeZoneName: 'short'}));
  t("c5", () => new Date('2025-03-30T01:00:00Z').toLocaleString('en-GB', {timeZone: 'Europe/London', timeZoneName: 'short'}));
  t("c6", () => new Date('2025-03-30T01:00:00Z').toLocaleString('fr-FR', {timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'full'}));
  t("c7", () => new Date('2025-03-30T01:00:00Z').toLocaleString('en-US', {timeZone: 'Europe/Lisbon', timeZoneName: 'long'}));
  t("c8", () => new Date('2025-10-26T00:30:00Z').toLocaleString('de-DE', {timeZone: 'Europe/Berlin', timeZoneName: 'short'}));
  t("c9", () => new Date('2025-10-26T00:30:00Z').toLocaleString('en-GB', {timeZone: 'Europe/London', timeZoneName: 'short'}));
  t("c10", () => new Date('2025-10-26T00:30:00Z').toLocaleString('fr-FR', {timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'full'}));
  t("c11", () => new Date('2025-10-26T00:30:00Z').toLocaleString('en-US', {timeZone: 'Europe/Lisbon', timeZoneName: 'long'}));
  t("c12", () => new Date('2025-10-26T01:00:00Z').toLocaleString('de-DE', {timeZone: 'Europe/Berlin', timeZoneName: 'short'}));
  t("c13", () => new Date('2025-10-26T01:00:00Z').toLocaleString('en-GB', {timeZone: 'Europe/London', timeZoneName: 'short'}));
  t("c14", () => new Date('2025-10-26T01:00:00Z').toLocaleString('fr-FR', {timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'full'}));
  t("c15", () => new Date('2025-10-26T01:00:00Z').toLocaleString('en-US', {timeZone: 'Europe/Lisbon', timeZoneName: 'long'}));
  t("c16", () => new Date('2025-10-26T01:30:00Z').toLocaleString('de-DE', {timeZone: 'Europe/Berlin', timeZoneName: 'short'}));
  t("c17", () => new Date('2025-10-26T01:30:00Z').toLocaleString('en-GB', {timeZone: 'Europe/London', timeZoneName: 'short'}));
  t("c18", () => new Date('2025-10-26T01:30:00Z').toLocaleString('fr-FR', {timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'full'}));
  t("c19", () => new Date('2025-10-26T01:30:00Z').toLocaleString('en-US', {timeZone: 'Europe/Lisbon', timeZoneName: 'long'}));
  webhook.payload = r;
  return webhook;
}
