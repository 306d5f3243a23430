// @samples payment.succeeded
// @settings {"locale": "sv-SE"}
// localeCompare and Intl.Collator without locales follow the default locale's tailoring.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const names = ["Öberg", "Andersson", "Åberg", "Ek", "Ärnström", "Zetterberg", "Olsson", "Wahlberg", "Vik", "Ängel", "Ødegaard", "Müller"];
  t("localeCompare", () => names.slice().sort((a, b) => a.localeCompare(b)).join(", "));
  t("collator", () => names.slice().sort(new Intl.Collator().compare).join(", "));
  t("resolved", () => JSON.stringify(new Intl.Collator().resolvedOptions()));
  t("en", () => names.slice().sort((a, b) => a.localeCompare(b, "en")).join(", "));
  t("z", () => ["z".localeCompare("ä"), "z".localeCompare("ä", "de"), "a".localeCompare("ä", undefined, { sensitivity: "base" })].join());
  webhook.payload = r;
  return webhook;
}
