// @lazy
// @imports: localeNames, parseLocaleId, canonicalizeId, keywordOf, intlSup, hasOwn
// @exports: displayNameOf
// Intl.DisplayNames.prototype.of (see intl_displaynames.js).

const DN_FIELDS = ["era", "year", "quarter", "month", "weekOfYear", "weekday", "day", "dayPeriod", "hour", "minute",
  "second", "timeZoneName"];

// ICU's LocaleDisplayNames::localeDisplayName for the base name of a canonical tag; null where
// a part has no name and fallback is "none".
function languageDisplayName(s, names, id) {
  const short = s.style !== "long";
  const substitute = s.fallback === "code";
  const lookup = (table, code) => {
    if (short && names[table + "Short"] && hasOwn(names[table + "Short"], code)) return names[table + "Short"][code];
    return names[table] && hasOwn(names[table], code) ? names[table][code] : null;
  };
  const lang = id.language === "und" || id.language === "root" || id.language === "" ? "root" : id.language;
  const script = id.script ? id.script[0].toUpperCase() + id.script.slice(1) : "";
  const region = id.region ? id.region.toUpperCase() : "";
  const variant = id.variants.map((v) => v.toUpperCase()).join("_");
  let hasScript = script !== "", hasRegion = region !== "";
  let name = null;
  if (s.languageDisplay === "dialect") {
    // ICU tries lang_script_region, then lang_script, then lang_region; with both a script and a
    // region only the first can match (its search buffer is not reset between tries).
    if (hasScript && hasRegion) {
      name = lookup("lang", lang + "-" + script + "-" + region);
      if (name !== null) hasScript = hasRegion = false;
    } else if (hasScript) {
      name = lookup("lang", lang + "-" + script);
      if (name !== null) hasScript = false;
    } else if (hasRegion) {
      name = lookup("lang", lang + "-" + region);
      if (name !== null) hasRegion = false;
    }
  }
  if (name === null) {
    name = lookup("lang", lang);
    if (name === null) {
      if (!substitute) return null;
      name = lang;
    }
  }
  const rest = [];
  const part = (table, code) => {
    const v = lookup(table, code);
    if (v !== null) return v;
    return substitute ? code : null;
  };
  if (hasScript) { const v = part("script", script); if (v === null) return null; rest.push(v); }
  if (hasRegion) { const v = part("region", region); if (v === null) return null; rest.push(v); }
  if (variant) { const v = part("variant", variant); if (v === null) return null; rest.push(v); }
  if (!rest.length) return name;
  const [pattern, separator] = names.pattern;
  let remainder = rest[0];
  for (let i = 1; i < rest.length; i++) remainder = separator.replace("{0}", remainder).replace("{1}", rest[i]);
  // Parentheses inside the parenthesized part become brackets, as in ICU.
  remainder = pattern.indexOf("\uff08") >= 0
    ? remainder.replace(/\uff08/g, "\uff3b").replace(/\uff09/g, "\uff3d")
    : remainder.replace(/\(/g, "[").replace(/\)/g, "]");
  return pattern.replace("{0}", name).replace("{1}", remainder);
}

function displayNameOf(s, codeIn) {
  const code = String(codeIn);
  const names = localeNames(s.key);
  const bad = () => { throw new RangeError("invalid_argument"); };
  const orCode = (v, c) => (v !== null && v !== undefined ? v : s.fallback === "code" ? c : undefined);
  const short = s.style !== "long";
  switch (s.type) {
    case "language": {
      let id;
      if (code === "" || /^x-/i.test(code)) id = { language: "root", script: "", region: "", variants: [] };
      else {
        id = parseLocaleId(code);
        if (id === null) {
          // ICU's tag parser also takes irregular grandfathered tags (i-klingon, through its
          // aliases) and an extended language subtag (zh-cmn: cmn).
          const alias = intlSup().alias.lang[code.toLowerCase()];
          if (alias !== undefined && /^i-/i.test(code)) id = parseLocaleId(alias);
          else if (/^[a-z]{2,3}-[a-z]{3}(?:-|$)/i.test(code)) id = parseLocaleId(code.slice(code.indexOf("-") + 1));
          if (id === null) bad();
        }
        const posix = id.variants.indexOf("posix") >= 0 || keywordOf(id, "va") === "posix";
        canonicalizeId(id);
        if (posix) id.variants.push("posix");  // ICU's POSIX variant (-u-va-posix) has a name
      }
      const v = languageDisplayName(s, names, id);
      return v === null ? undefined : v;
    }
    case "region": {
      if (!/^(?:[a-z]{2}|[0-9]{3})$/i.test(code)) bad();
      const v = short && names.regionShort && hasOwn(names.regionShort, code) ? names.regionShort[code]
        : hasOwn(names.region, code) ? names.region[code] : null;
      return orCode(v, code);
    }
    case "script": {
      if (!/^[a-z]{4}$/i.test(code)) bad();
      const v = short && names.scriptShort && hasOwn(names.scriptShort, code) ? names.scriptShort[code]
        : hasOwn(names.script, code) ? names.script[code] : null;
      return orCode(v, code);
    }
    case "currency": {
      if (!/^[a-z]{3}$/i.test(code)) bad();
      const c = code.toUpperCase();
      return orCode(hasOwn(names.currency, c) ? names.currency[c] : null, c);
    }
    case "calendar": {
      if (!/^[a-z0-9]{3,8}(?:-[a-z0-9]{3,8})*$/i.test(code)) bad();
      return orCode(names.calendar && hasOwn(names.calendar, code) ? names.calendar[code] : null, code);
    }
    default: {  // dateTimeField
      const i = DN_FIELDS.indexOf(code);
      if (i < 0) bad();
      const widths = names.field[code];
      return widths[s.style === "long" ? 0 : s.style === "short" ? 1 : 2];
    }
  }
}

