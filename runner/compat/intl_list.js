// Intl.ListFormat: CLDR list patterns ("a, b, and c"), with ICU's Spanish "y"/"o" → "e"/"u".

const lfSlots = new WeakMap();
const LIST_TYPES = { conjunction: "standard", disjunction: "or", unit: "unit" };

function ListFormat(locales, options) {
  if (new.target === undefined) throw new TypeError("Constructor Intl.ListFormat requires 'new'");
  const loc = resolveLocale(locales, SVC_LF);
  const opts = toObjectOptions(options);
  const svc = "Intl.ListFormat";
  getStringOption(opts, "localeMatcher", ["lookup", "best fit"], "best fit", svc);
  const type = getStringOption(opts, "type", ["conjunction", "disjunction", "unit"], "conjunction", svc);
  const style = getStringOption(opts, "style", ["long", "short", "narrow"], "long", svc);
  const obj = Object.create(new.target.prototype);
  const data = localeData(loc.key);
  lfSlots.set(obj, { locale: loc.locale, type, style, lang: loc.key.split("-")[0],
    patterns: data.lp[LIST_TYPES[type] + (style === "long" ? "" : "-" + style)] });
  return obj;
}

function listStrings(list) {
  if (list === undefined) return [];
  const out = [];
  for (const item of list) {
    if (typeof item !== "string") throw new TypeError(`Iterable yielded ${String(item)} which is not a string`);
    out.push(item);
  }
  return out;
}

// One pattern applied to two parts lists: [[type, value], ...].
function applyListPattern(slot, pattern, first, rest, next) {
  let p = pattern;
  if (slot.lang === "es") {
    // ICU: "y" before an /i/ sound is "e", "o" before an /o/ sound is "u".
    if (/ y /.test(p) && /^(i|hi$|hi[^ae])/i.test(next)) p = p.replace(" y ", " e ");
    if (/ o /.test(p) && /^((o|ho|8).*|11)$/i.test(next)) p = p.replace(" o ", " u ");
  }
  const out = [];
  for (const piece of p.split(/(\{[01]\})/)) {
    if (piece === "{0}") out.push(...first);
    else if (piece === "{1}") out.push(...rest);
    else if (piece) out.push(["literal", piece]);
  }
  return out;
}

function formatListParts(slot, list) {
  const items = listStrings(list);
  const n = items.length;
  const el = (s) => [["element", s]];
  if (n === 0) return [];
  if (n === 1) return el(items[0]);
  const [start, middle, end, two] = slot.patterns;
  if (n === 2) return applyListPattern(slot, two, el(items[0]), el(items[1]), items[1]);
  let parts = applyListPattern(slot, end, el(items[n - 2]), el(items[n - 1]), items[n - 1]);
  for (let i = n - 3; i >= 1; i--) parts = applyListPattern(slot, middle, el(items[i]), parts, items[i + 1]);
  return applyListPattern(slot, start, el(items[0]), parts, items[1]);
}

function installListFormat(Intl) {
  const slotOf = (o, m) => {
    const s = typeof o === "object" && o !== null ? lfSlots.get(o) : undefined;
    if (s === undefined) throw new TypeError(`Method Intl.ListFormat.prototype.${m} called on incompatible receiver ${String(o)}`);
    return s;
  };
  const merge = (parts) => {
    const out = [];
    for (const [type, value] of parts) {
      const last = out[out.length - 1];
      if (type === "literal" && last && last.type === "literal") last.value += value;
      else out.push({ type, value });
    }
    return out;
  };
  const methods = {
    format(list) { return formatListParts(slotOf(this, "format"), list).map((p) => p[1]).join(""); },
    formatToParts(list) { return merge(formatListParts(slotOf(this, "formatToParts"), list)); },
    resolvedOptions() {
      const s = slotOf(this, "resolvedOptions");
      return { locale: s.locale, type: s.type, style: s.style };
    },
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(ListFormat.prototype, name, { value: methods[name], writable: true, configurable: true });
  }
  Object.defineProperty(ListFormat.prototype, Symbol.toStringTag, { value: "Intl.ListFormat", configurable: true });
  Object.defineProperty(ListFormat, "supportedLocalesOf", { value: supportedLocalesFor(SVC_LF), writable: true, configurable: true });
  Object.defineProperty(Intl, "ListFormat", { value: ListFormat, writable: true, configurable: true });
}
