// @samples payment.succeeded
// Built-ins runner implements in JavaScript (Intl, Date's local time, console, WeakRef, ...)
// print as native code, as V8's do.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const get = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
  t("nf", () => Intl.NumberFormat.toString());
  t("nf_format_getter", () => String(get(Intl.NumberFormat.prototype, "format")));
  t("nf_format_bound", () => String(new Intl.NumberFormat("en-US").format));
  t("nf_formatToParts", () => String(Intl.NumberFormat.prototype.formatToParts));
  t("nf_supported", () => String(Intl.NumberFormat.supportedLocalesOf));
  t("dtf", () => String(Intl.DateTimeFormat));
  t("dtf_format_bound", () => String(new Intl.DateTimeFormat("en-US").format));
  t("dtf_formatToParts", () => String(Intl.DateTimeFormat.prototype.formatToParts));
  t("dtf_resolved", () => String(Intl.DateTimeFormat.prototype.resolvedOptions));
  t("collator", () => String(Intl.Collator));
  t("collator_compare", () => String(new Intl.Collator("en").compare));
  t("collator_getter", () => String(get(Intl.Collator.prototype, "compare")));
  t("plural", () => String(Intl.PluralRules.prototype.select));
  t("rtf", () => String(Intl.RelativeTimeFormat.prototype.format));
  t("list", () => String(Intl.ListFormat));
  t("canonical", () => String(Intl.getCanonicalLocales));
  t("date_toLocaleString", () => Date.prototype.toLocaleString.toString());
  t("date_toLocaleDateString", () => String(Date.prototype.toLocaleDateString));
  t("date_getHours", () => String(Date.prototype.getHours));
  t("date_setHours", () => String(Date.prototype.setHours));
  t("date_toString", () => String(Date.prototype.toString));
  t("date_parse", () => String(Date.parse));
  t("timezone_offset", () => String(Date.prototype.getTimezoneOffset));
  t("number_toLocaleString", () => String(Number.prototype.toLocaleString));
  t("number_toFixed", () => String(Number.prototype.toFixed));
  t("string_localeCompare", () => String(String.prototype.localeCompare));
  t("string_toLocaleUpperCase", () => String("".toLocaleUpperCase));
  t("string_normalize", () => String("".normalize));
  t("json_stringify", () => String(JSON.stringify));
  t("math_random", () => String(Math.random));
  t("math_cbrt", () => String(Math.cbrt));
  t("encode_uri", () => String(encodeURIComponent));
  t("structured_clone", () => String(structuredClone));
  t("console_log", () => console.log.toString());
  t("console_error", () => String(console.error));
  t("weakref", () => String(WeakRef));
  t("finalization", () => String(FinalizationRegistry));
  console.log(r.nf, r.console_log);
  webhook.payload = r;
  return webhook;
}
