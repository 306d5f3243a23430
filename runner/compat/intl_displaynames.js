// Intl.DisplayNames as V8 implements it over ICU's LocaleDisplayNames: CLDR language, region,
// script, variant, currency, calendar and date field names (runner/compat/intl_data.py), ICU's
// dialect handling ("American English") and its "{0} ({1})" locale pattern.

// Per-locale names (formatRange reads their interval formats too): the "dn" JSON text of a
// fetched locale's data, or intlData().names' for an embedded one (runner/compat/intl_data.py
// names_json), parsed on first use, per data object (stand-in data has its own entry).
const namesCache = boundedCache(LOCALE_KEYS);

function localeNamesOf(data) {
  let names = namesCache.get(data);
  if (names === undefined) {
    let text = data.dn;
    if (typeof text !== "string") {
      // An embedded locale: its names are beside its data.
      const embedded = intlData().names;
      for (const tag of Object.keys(embedded)) if (localeData(tag, true) === data) text = embedded[tag];
    }
    names = namesCache.set(data, jsonParse(text));
  }
  return names;
}

function localeNames(key) {
  return localeNamesOf(localeData(key));
}

const DN_TYPES = ["language", "region", "script", "currency", "calendar", "dateTimeField"];
const dnSlots = new WeakMap();

function dnSlot(o, method) {
  const s = typeof o === "object" && o !== null ? dnSlots.get(o) : undefined;
  if (s === undefined) {
    const shown = typeof o === "object" && o !== null ? "#<" + (o.constructor && o.constructor.name || "Object") + ">" : String(o);
    throw new TypeError(`Method Intl.DisplayNames.prototype.${method} called on incompatible receiver ${shown}`);
  }
  return s;
}

function DisplayNames(locales, options) {
  if (new.target === undefined) throw new TypeError("Constructor Intl.DisplayNames requires 'new'");
  const loc = resolveLocale(locales);
  if (typeof options !== "object" || options === null) throw new TypeError("invalid_argument");
  const svc = "Intl.DisplayNames";
  getStringOption(options, "localeMatcher", ["lookup", "best fit"], "best fit", svc);
  const style = getStringOption(options, "style", ["narrow", "short", "long"], "long", svc);
  const type = getStringOption(options, "type", DN_TYPES, undefined, svc);
  if (type === undefined) throw new TypeError("invalid_argument");
  const fallback = getStringOption(options, "fallback", ["code", "none"], "code", svc);
  const languageDisplay = getStringOption(options, "languageDisplay", ["dialect", "standard"], "dialect", svc);
  const proto = new.target.prototype !== null && typeof new.target.prototype === "object" ? new.target.prototype : DisplayNames.prototype;
  const obj = Object.create(proto);
  dnSlots.set(obj, { locale: loc.locale, key: loc.key, style, type, fallback, languageDisplay });
  return obj;
}

function installDisplayNames(Intl) {
  const proto = DisplayNames.prototype;
  const methods = {
    resolvedOptions() {
      const s = dnSlot(this, "resolvedOptions");
      const out = { locale: s.locale, style: s.style, type: s.type, fallback: s.fallback };
      if (s.type === "language") out.languageDisplay = s.languageDisplay;
      return out;
    },
    of(code) { return displayNameOf(dnSlot(this, "of"), code); },
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(proto, name, { value: methods[name], writable: true, configurable: true });
  }
  Object.defineProperty(proto, Symbol.toStringTag, { value: "Intl.DisplayNames", configurable: true });
  Object.defineProperty(DisplayNames, "supportedLocalesOf", { value: supportedLocalesOf, writable: true, configurable: true });
  Object.defineProperty(Intl, "DisplayNames", { value: DisplayNames, writable: true, configurable: true });
}
