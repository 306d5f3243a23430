// @samples payment.succeeded
// Intl's own properties, constructors' names and lengths, prototypes' members and tags.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("intl", () => Object.getOwnPropertyNames(Intl).join());
  for (const name of ["DateTimeFormat", "NumberFormat", "Collator", "PluralRules", "RelativeTimeFormat", "ListFormat", "Locale", "DisplayNames", "Segmenter"]) {
    const C = Intl[name];
    t(name, () => [typeof C, C.name, C.length, typeof C.supportedLocalesOf, Object.getOwnPropertyNames(C).sort().join("+"),
      C.prototype[Symbol.toStringTag], C.prototype.constructor === C].join(" "));
  }
  t("dtfProto", () => Object.getOwnPropertyNames(Intl.DateTimeFormat.prototype).sort().join());
  t("rtfProto", () => Object.getOwnPropertyNames(Intl.RelativeTimeFormat.prototype).sort().join());
  t("requiresNew", () => ["Locale", "DisplayNames", "Segmenter", "RelativeTimeFormat", "ListFormat"].map((n) => { try { Intl[n]("en", { type: "region" }); return "ok"; } catch (e) { return e.message; } }).join(" / "));
  webhook.payload = r;
  return webhook;
}
