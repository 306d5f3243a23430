// @samples payment.succeeded
// Language-tailored collation (CLDR): Nordic å ä ö æ ø after z, Spanish ñ, Polish, Czech and
// Slovak ch, Turkish dotless ı, Estonian, Lithuanian, Latvian, Hungarian digraphs, Croatian, Romanian.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const words = ["a", "A", "á", "ä", "Ä", "å", "Å", "æ", "Æ", "aa", "Aa", "b", "c", "č", "ć", "ç", "ch", "Ch", "CH", "cs", "d", "dž",
    "dz", "dzs", "đ", "ð", "e", "é", "ę", "ė", "ē", "g", "ğ", "gy", "h", "i", "I", "ı", "İ", "í", "ī", "j", "l", "ł", "lj", "ly", "n",
    "ñ", "ń", "nj", "ny", "o", "ó", "ô", "ö", "Ö", "õ", "ő", "ø", "Ø", "œ", "r", "ř", "s", "š", "ś", "ş", "ș", "sz", "t", "ţ", "ț",
    "þ", "th", "ty", "u", "ü", "Ü", "ű", "ū", "v", "w", "W", "x", "y", "ý", "z", "Z", "ž", "ź", "ż", "zs", "zz"];
  const extra = words.map((w) => w + "a").concat(words.map((w) => "a" + w));
  for (const loc of ["sv", "fi", "da", "nb", "nn", "no", "is", "de", "de-AT", "es", "es-MX", "gl", "pl", "cs", "sk", "sl", "hr",
    "bs", "sr-Latn", "tr", "et", "lv", "hu", "ro", "fr", "fr-CA", "it", "nl", "pt", "en", "en-GB"]) {
    const c = new Intl.Collator(loc);
    t(loc, () => words.concat(extra).sort(c.compare).join(" "));
    t(loc + "|base", () => words.slice().sort(new Intl.Collator(loc, { sensitivity: "base" }).compare).join(" "));
  }
  t("lt", () => ["y", "i", "j", "ia", "ja", "č", "c", "d", "š", "s", "t", "ž", "z"].sort(new Intl.Collator("lt").compare).join(" "));
  t("pairs", () => [["z", "ä", "sv"], ["z", "ä", "de"], ["ö", "z", "fi"], ["å", "z", "da"], ["aa", "z", "da"], ["ñ", "o", "es"],
    ["ch", "i", "cs"], ["ch", "h", "cs"], ["ı", "i", "tr"], ["I", "ı", "tr"], ["İ", "i", "tr"], ["š", "z", "et"], ["z", "t", "et"],
    ["cs", "d", "hu"], ["ł", "m", "pl"], ["ż", "ź", "pl"], ["ă", "b", "ro"], ["dž", "đ", "hr"], ["ä", "b", "sk"], ["þ", "z", "is"],
    ["á", "b", "is"], ["ü", "y", "sv"], ["w", "v", "sv"], ["ø", "å", "nb"]].map(([a, b, l]) => l + ":" + a.localeCompare(b, l)).join(" "));
  t("sensitivity", () => [["ä", "a", "sv"], ["ä", "a", "de"], ["å", "aa", "da"], ["ñ", "n", "es"], ["ı", "i", "tr"], ["ch", "c", "cs"]].map(([a, b, l]) =>
    ["base", "accent", "case", "variant"].map((s) => a.localeCompare(b, l, { sensitivity: s })).join("")).join(" "));
  t("caseFirst", () => ["b", "A", "a", "B", "aa", "Aa", "å", "Å"].sort(new Intl.Collator("da").compare).join("") + " " +
    ["b", "A", "a", "B"].sort(new Intl.Collator("da", { caseFirst: "lower" }).compare).join("") + " " +
    ["b", "A", "a", "B"].sort(new Intl.Collator("sv", { caseFirst: "upper" }).compare).join(""));
  t("frCA", () => ["cote", "côte", "coté", "côté", "Côté", "cotée"].sort(new Intl.Collator("fr-CA").compare).join(" ") + " / " +
    ["cote", "côte", "coté", "côté", "Côté", "cotée"].sort(new Intl.Collator("fr").compare).join(" "));
  t("numeric", () => ["å10", "å9", "a10", "z2", "ä1"].sort(new Intl.Collator("sv", { numeric: true }).compare).join(" "));
  t("resolved", () => ["sv", "da", "fi-FI", "nb", "tr", "hu", "xx", "de-u-co-phonebk", "sv-u-kf-upper"].map((l) => JSON.stringify(new Intl.Collator(l).resolvedOptions())).join(" "));
  t("keywords", () => [["en", { collation: "a" }], ["de", { collation: "phonebk" }], ["de-u-co-phonebk", { collation: "emoji" }], ["en-u-co-phonebk"],
    ["en-u-kn-kf-lower"], ["en-u-kn-false-kf-lower", { numeric: false, caseFirst: "upper" }], ["en-u-co-search"], ["es-u-co-trad"],
    ["en", { collation: "standard" }], ["en-u-kn-true"], ["zh-u-co-pinyin"], ["en-u-kf-foo"], ["sv-u-co-trad"]].map(([l, o]) => {
    try { const x = new Intl.Collator(l, o).resolvedOptions(); return [x.locale, x.collation, x.numeric, x.caseFirst].join("/"); } catch (e) { return e.message; }
  }).join(" "));
  t("supported", () => Intl.Collator.supportedLocalesOf(["sv", "fi", "da", "nb", "tr", "hu", "et", "lv", "lt", "xx", "tlh"]).join());
  t("names", () => ["Åsa", "Anders", "Örjan", "Olof", "Ärla", "Zacke", "Åke", "Östen"].sort((a, b) => a.localeCompare(b, "sv-SE")).join(", "));
  webhook.payload = r;
  return webhook;
}
