// @lazy
// @imports: intlSup, hasOwn, boundedCache
// @exports: zoneTable, parseLocaleId, canonicalizeId, baseNameOf, localeIdString, canonicalLocaleTag, maximizeParts, maximizeId, minimizeId, keywordOf, setKeyword, preferenceRegion, byTruncation, weekInfoOf
// Intl.Locale's tag machinery (see intl_locale.js): UTS #35 parsing and canonicalization, likely
// subtags, and the locale facts of the info getters.

// Decoded supplemental tables, on first use (a cache of one entry so that clearCaches() drops
// what a handler's patched built-ins may have touched while it was built).
const supTables = boundedCache(4);

function likelyTable() {
  let t = supTables.get("likely");
  if (t === undefined) {
    const table = Object.create(null);
    const lang = intlSup().likely.lang;
    for (const tail of Object.keys(lang)) for (const key of lang[tail].split(" ")) table[key] = key + "-" + tail;
    const other = intlSup().likely.other;
    for (const key of Object.keys(other)) table[key] = other[key];
    t = supTables.set("likely", table);
  }
  return t;
}

function zoneTable() {
  let t = supTables.get("zones");
  if (t === undefined) {
    const zones = intlSup().zones.split(" "), regions = intlSup().zoneRegions.split(" ");
    const byRegion = Object.create(null);
    for (let i = 0; i < zones.length; i++) (byRegion[regions[i]] || (byRegion[regions[i]] = [])).push(zones[i]);
    t = supTables.set("zones", { zones, byRegion });
  }
  return t;
}

// ---- parsing -------------------------------------------------------------------------------

// {language, script, region, variants, ext: {singleton: subtags...}, u: {attributes, keywords}, t, x}
// of a well-formed unicode_locale_id, else null.
function parseLocaleId(text) {
  if (typeof text !== "string" || text === "" || /[^A-Za-z0-9-]/.test(text)) return null;
  const parts = text.toLowerCase().split("-");
  let i = 0;
  const id = { language: "", script: "", region: "", variants: [], u: null, t: null, other: [], x: "" };
  const lang = parts[0];
  if (/^[a-z]{2,3}$|^[a-z]{5,8}$/.test(lang)) { id.language = lang; i = 1; }
  else if (lang === "root") { id.language = "root"; i = 1; }
  else return null;
  if (i < parts.length && /^[a-z]{4}$/.test(parts[i])) id.script = parts[i++];
  if (i < parts.length && /^(?:[a-z]{2}|[0-9]{3})$/.test(parts[i])) id.region = parts[i++];
  while (i < parts.length && /^(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})$/.test(parts[i])) {
    if (id.variants.indexOf(parts[i]) >= 0) return null;
    id.variants.push(parts[i++]);
  }
  const seen = [];
  while (i < parts.length) {
    const singleton = parts[i++];
    if (!/^[0-9a-z]$/.test(singleton) || seen.indexOf(singleton) >= 0) return null;
    seen.push(singleton);
    const start = i;
    if (singleton === "x") {
      while (i < parts.length && /^[0-9a-z]{1,8}$/.test(parts[i])) i++;
      if (i === start || i !== parts.length) return null;
      id.x = parts.slice(start).join("-");
      break;
    }
    while (i < parts.length && /^[0-9a-z]{2,8}$/.test(parts[i])) i++;
    if (i === start) return null;
    const subtags = parts.slice(start, i);
    if (singleton === "u") {
      const u = { attributes: [], keywords: [] };
      let j = 0;
      while (j < subtags.length && subtags[j].length >= 3) u.attributes.push(subtags[j++]);
      while (j < subtags.length) {
        const key = subtags[j++];
        if (!/^[a-z0-9][a-z]$/.test(key)) return null;
        const value = [];
        while (j < subtags.length && subtags[j].length >= 3) value.push(subtags[j++]);
        if (!u.keywords.some((kw) => kw[0] === key)) u.keywords.push([key, value.join("-")]);
      }
      id.u = u;
    } else if (singleton === "t") {
      const t = { lang: null, fields: [] };
      let j = 0;
      const langEnd = subtags.findIndex((s) => /^[a-z][0-9]$/.test(s));
      const langPart = langEnd < 0 ? subtags : subtags.slice(0, langEnd);
      if (langPart.length) {
        const tl = parseLocaleId(langPart.join("-"));
        if (tl === null || tl.u || tl.t || tl.x || tl.other.length) return null;
        t.lang = tl;
      }
      j = langPart.length;
      while (j < subtags.length) {
        const key = subtags[j++];
        if (!/^[a-z][0-9]$/.test(key)) return null;
        const value = [];
        while (j < subtags.length && /^[a-z0-9]{3,8}$/.test(subtags[j])) value.push(subtags[j++]);
        if (!value.length) return null;
        t.fields.push([key, value.join("-")]);
      }
      id.t = t;
    } else {
      id.other.push([singleton, subtags.join("-")]);
    }
  }
  return id;
}

// ---- canonicalization (UTS #35 Annex C, as ICU's AliasReplacer applies it) ------------------

function languageAlias(id) {
  const aliases = intlSup().alias.lang;
  // The most specific rule first: language with a variant, with its region, then alone.
  for (const v of id.variants) {
    const key = (id.language === "und" ? "und" : id.language) + "-" + v;
    if (hasOwn(aliases, key)) return [key, [v], ""];
  }
  if (id.region && hasOwn(aliases, id.language + "-" + id.region.toUpperCase())) return [id.language + "-" + id.region.toUpperCase(), [], "region"];
  if (hasOwn(aliases, id.language)) return [id.language, [], ""];
  return null;
}

function applyLanguageAlias(id) {
  const rule = languageAlias(id);
  if (rule === null) return false;
  const target = parseLocaleId(intlSup().alias.lang[rule[0]]);
  if (target === null) return false;
  if (!(target.language === "und" && rule[0].startsWith("und"))) id.language = target.language;
  if (target.script && !id.script) id.script = target.script;
  if (rule[2] === "region") id.region = target.region;
  else if (target.region && !id.region) id.region = target.region;
  id.variants = id.variants.filter((v) => rule[1].indexOf(v) < 0);
  for (const v of target.variants) if (id.variants.indexOf(v) < 0) id.variants.push(v);
  return true;
}

function canonicalizeId(id) {
  for (let guard = 0; guard < 8 && applyLanguageAlias(id); guard++) { /* until stable */ }
  if (id.script) {
    const s = id.script[0].toUpperCase() + id.script.slice(1);
    if (hasOwn(intlSup().alias.script, s)) id.script = intlSup().alias.script[s].toLowerCase();
  }
  if (id.region) {
    const r = id.region.toUpperCase();
    if (hasOwn(intlSup().alias.region, r)) {
      const choices = intlSup().alias.region[r].split(" ");
      let pick = choices[0];
      if (choices.length > 1) {
        const likely = maximizeParts(id.language, id.script, "");
        if (likely && choices.indexOf(likely[2]) >= 0) pick = likely[2];
      }
      id.region = pick.toLowerCase();
    }
  }
  id.variants = id.variants.map((v) => (hasOwn(intlSup().alias.variant, v) ? intlSup().alias.variant[v] : v));
  id.variants.sort();
  if (id.variants.indexOf("posix") >= 0) {
    // ICU writes its POSIX variant as the -u-va-posix keyword.
    id.variants = id.variants.filter((v) => v !== "posix");
    setKeyword(id, "va", "posix");
  }
  if (id.u) {
    id.u.attributes = id.u.attributes.filter((a, k, all) => all.indexOf(a) === k).sort();
    id.u.keywords = id.u.keywords.map(([key, value]) => [key, canonicalType("u-" + key, value)]);
    id.u.keywords.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  if (id.t) {
    if (id.t.lang) canonicalizeId(id.t.lang);
    id.t.fields = id.t.fields.map(([key, value]) => [key, canonicalType("t-" + key, value)]);
    id.t.fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  id.other.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return id;
}

function canonicalType(key, value) {
  const table = intlSup().typeAlias[key];
  if (table !== undefined && hasOwn(table, value)) value = table[value];
  return value === "true" && key[0] === "u" ? "" : value;
}

function baseNameOf(id) {
  let out = id.language;
  if (id.script) out += "-" + id.script[0].toUpperCase() + id.script.slice(1);
  if (id.region) out += "-" + id.region.toUpperCase();
  for (const v of id.variants) out += "-" + v;
  return out;
}

function localeIdString(id) {
  const ext = [];
  for (const [singleton, value] of id.other) ext.push([singleton, singleton + "-" + value]);
  if (id.t) {
    let t = "t";
    if (id.t.lang) t += "-" + baseNameOf(id.t.lang).toLowerCase();
    for (const [k, v] of id.t.fields) t += "-" + k + "-" + v;
    ext.push(["t", t]);
  }
  if (id.u && (id.u.attributes.length || id.u.keywords.length)) {
    let u = "u";
    for (const a of id.u.attributes) u += "-" + a;
    for (const [k, v] of id.u.keywords) u += "-" + k + (v ? "-" + v : "");
    ext.push(["u", u]);
  }
  ext.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  let out = baseNameOf(id);
  for (const e of ext) out += "-" + e[1];
  if (id.x) out += "-x-" + id.x;
  return out;
}

// The canonical form of a language tag as V8 (ICU) gives it, or null if it is not well formed.
function canonicalLocaleTag(text) {
  const id = parseLocaleId(text);
  return id === null ? null : localeIdString(canonicalizeId(id));
}

// ---- likely subtags --------------------------------------------------------------------------

// [language, Script, REGION] with the missing subtags added (CLDR's Add Likely Subtags), or null.
function maximizeParts(language, script, region) {
  const table = likelyTable();
  const lang = language === "root" ? "und" : language;
  const S = script ? script[0].toUpperCase() + script.slice(1).toLowerCase() : "";
  const R = region ? region.toUpperCase() : "";
  const tries = [];
  if (S && R) tries.push(lang + "-" + S + "-" + R);
  if (R) tries.push(lang + "-" + R);
  if (S) tries.push(lang + "-" + S);
  tries.push(lang);
  if (lang !== "und") {
    if (S && R) tries.push("und-" + S + "-" + R);
    if (R) tries.push("und-" + R);
    if (S) tries.push("und-" + S);
  }
  for (const key of tries) {
    const value = table[key];
    if (value === undefined) continue;
    const [vl, vs, vr] = value.split("-");
    return [lang !== "und" ? lang : vl, S || vs, R || vr];
  }
  return null;
}

function maximizeId(id) {
  const m = maximizeParts(id.language, id.script, id.region);
  if (m === null) return id;
  const out = Object.assign({}, id, { language: m[0], script: m[1].toLowerCase(), region: m[2].toLowerCase() });
  return out;
}

function minimizeId(id) {
  const max = maximizeParts(id.language, id.script, id.region);
  if (max === null) return id;
  const same = (l, s, r) => {
    const m = maximizeParts(l, s, r);
    return m !== null && m[0] === max[0] && m[1] === max[1] && m[2] === max[2];
  };
  let parts = [max[0], "", ""];
  if (!same(max[0], "", "")) {
    if (same(max[0], "", max[2])) parts = [max[0], "", max[2]];
    else if (same(max[0], max[1], "")) parts = [max[0], max[1], ""];
    else parts = max;
  }
  return Object.assign({}, id, { language: parts[0], script: parts[1].toLowerCase(), region: parts[2].toLowerCase() });
}

// ---- keywords and preferences ----------------------------------------------------------------

function keywordOf(id, key) {
  if (!id.u) return undefined;
  for (const kw of id.u.keywords) if (kw[0] === key) return kw[1];
  return undefined;
}

function setKeyword(id, key, value) {
  if (!id.u) id.u = { attributes: [], keywords: [] };
  const kw = id.u.keywords.find((k) => k[0] === key);
  if (kw) kw[1] = value; else id.u.keywords.push([key, value]);
}

// The region a locale's preferences come from: its own, else its likely one.
function preferenceRegion(id) {
  if (id.region) return id.region.toUpperCase();
  const m = maximizeParts(id.language, id.script, "");
  return m ? m[2] : "001";
}

// A fact of ICU's locale data by truncation: the table lists each locale whose value differs from
// its parent's (see intl48.py), so the nearest listed truncation of a tag has ICU's answer.
function byTruncation(table, id, fallback) {
  let tag = baseNameOf({ language: id.language, script: id.script, region: id.region, variants: [] });
  for (;;) {
    if (hasOwn(table, tag)) return table[tag];
    const cut = tag.lastIndexOf("-");
    if (cut < 0) return fallback;
    tag = tag.slice(0, cut);
  }
}

function weekInfoOf(id) {
  const region = preferenceRegion(id);
  const w = intlSup().week;
  const pick = (table) => (hasOwn(table, region) ? table[region] : table["001"]);
  let firstDay = pick(w.firstDay);
  const fw = keywordOf(id, "fw");
  const fwDays = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
  if (fw !== undefined && hasOwn(fwDays, fw)) firstDay = fwDays[fw];
  const start = pick(w.weekendStart), end = pick(w.weekendEnd);
  const weekend = [];
  for (let d = start; ; d = d % 7 + 1) {
    weekend.push(d);
    if (d === end || weekend.length > 7) break;
  }
  weekend.sort((a, b) => a - b);
  return { firstDay, weekend, minimalDays: pick(w.minDays) };
}

