// Web-platform globals handlers reach for: URL, URLSearchParams, TextEncoder, TextDecoder,
// structuredClone, crypto.randomUUID/getRandomValues, queueMicrotask, DOMException.

// ---- UTF-8 -----------------------------------------------------------------------------------

function utf8Encode(str) {
  const out = [];
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      const d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

// WHATWG UTF-8 decode with U+FFFD replacement (or a TypeError when `fatal`).
function utf8Decode(bytes, fatal) {
  let out = "";
  let i = 0;
  const n = bytes.length;
  const bad = () => {
    if (fatal) throw new TypeError("The encoded data was not valid for encoding utf-8");
    out += "\ufffd";
  };
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) { out += String.fromCharCode(b); i++; continue; }
    let need, cp, lower = 0x80, upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 0x1f; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; cp = b & 0xf; if (b === 0xe0) lower = 0xa0; if (b === 0xed) upper = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; cp = b & 0x7; if (b === 0xf0) lower = 0x90; if (b === 0xf4) upper = 0x8f; }
    else { bad(); i++; continue; }
    let j = 1;
    for (; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || c < lower || c > upper) break;
      lower = 0x80; upper = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (j <= need) { bad(); i += j; continue; }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

function bytesOf(input) {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
}

class TextEncoder {
  get encoding() { return "utf-8"; }
  encode(input = "") { return new Uint8Array(utf8Encode(String(input))); }
  encodeInto(src, dest) {
    const s = String(src);
    let read = 0, written = 0;
    for (const ch of s) {
      const bytes = utf8Encode(ch);
      if (written + bytes.length > dest.length) break;
      for (const b of bytes) dest[written++] = b;
      read += ch.length;
    }
    return { read, written };
  }
}

const textDecoderSlots = new WeakMap();

class TextDecoder {
  constructor(label = "utf-8", options = undefined) {
    const name = String(label).trim().toLowerCase();
    if (["utf-8", "utf8", "unicode-1-1-utf-8"].indexOf(name) < 0) {
      throw new RangeError(`The "${label}" encoding is not supported`);
    }
    const opts = options === undefined ? {} : Object(options);
    textDecoderSlots.set(this, { fatal: Boolean(opts.fatal), ignoreBOM: Boolean(opts.ignoreBOM) });
  }
  get encoding() { return "utf-8"; }
  get fatal() { return textDecoderSlots.get(this).fatal; }
  get ignoreBOM() { return textDecoderSlots.get(this).ignoreBOM; }
  decode(input = undefined) {
    const slot = textDecoderSlots.get(this);
    let bytes = bytesOf(input);
    if (!slot.ignoreBOM && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    return utf8Decode(bytes, slot.fatal);
  }
}

// ---- URLSearchParams ---------------------------------------------------------------------------

const FORM_SAFE = /[A-Za-z0-9*\-._]/;

function formEncode(s) {
  let out = "";
  for (const b of utf8Encode(s)) {
    const ch = String.fromCharCode(b);
    if (b === 0x20) out += "+";
    else if (b < 0x80 && FORM_SAFE.test(ch)) out += ch;
    else out += "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
  }
  return out;
}

function percentDecodeBytes(s) {
  const bytes = [];
  const enc = utf8Encode(s);
  for (let i = 0; i < enc.length; i++) {
    const b = enc[i];
    if (b === 0x25 && i + 2 < enc.length + 0 && isHex(enc[i + 1]) && isHex(enc[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(enc[i + 1], enc[i + 2]), 16));
      i += 2;
    } else bytes.push(b);
  }
  return bytes;
}

function isHex(b) {
  return b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102));
}

function formDecode(s) {
  return utf8Decode(percentDecodeBytes(s.replace(/\+/g, " ")), false);
}

function parseQuery(query) {
  const list = [];
  for (const piece of query.split("&")) {
    if (!piece) continue;
    const eq = piece.indexOf("=");
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? "" : piece.slice(eq + 1);
    list.push([formDecode(name), formDecode(value)]);
  }
  return list;
}

const usvString = (v) => String(v).toWellFormed ? String(v).toWellFormed() : String(v);
const paramsSlots = new WeakMap();

class URLSearchParams {
  constructor(init = undefined) {
    let list = [];
    if (init !== undefined && init !== null && typeof init === "object" || typeof init === "function") {
      const iter = init[Symbol.iterator];
      if (iter !== undefined && iter !== null) {
        if (typeof iter !== "function") throw new TypeError("Query pairs must be iterable");
        for (const pair of init) {
          const arr = Array.from(pair);
          if (arr.length !== 2) throw new TypeError("Each query pair must be an iterable [name, value] tuple");
          list.push([usvString(arr[0]), usvString(arr[1])]);
        }
      } else {
        for (const key of Reflect.ownKeys(init)) {
          const desc = Reflect.getOwnPropertyDescriptor(init, key);
          if (typeof key === "string" && desc !== undefined && desc.enumerable) list.push([usvString(key), usvString(init[key])]);
        }
      }
    } else if (init !== undefined) {
      let s = usvString(init);
      if (s[0] === "?") s = s.slice(1);
      list = parseQuery(s);
    }
    paramsSlots.set(this, { list, url: null });
  }
  get size() { return slotList(this).length; }
  append(name, value) { slotList(this).push([usvString(name), usvString(value)]); updateUrl(this); }
  delete(name, value = undefined) {
    const s = paramsSlots.get(this);
    const n = usvString(name);
    s.list = s.list.filter(([k, v]) => !(k === n && (value === undefined || v === usvString(value))));
    updateUrl(this);
  }
  get(name) { const n = usvString(name); const e = slotList(this).find(([k]) => k === n); return e ? e[1] : null; }
  getAll(name) { const n = usvString(name); return slotList(this).filter(([k]) => k === n).map(([, v]) => v); }
  has(name, value = undefined) {
    const n = usvString(name);
    return slotList(this).some(([k, v]) => k === n && (value === undefined || v === usvString(value)));
  }
  set(name, value) {
    const s = paramsSlots.get(this);
    const n = usvString(name), v = usvString(value);
    const idx = s.list.findIndex(([k]) => k === n);
    if (idx < 0) s.list.push([n, v]);
    else {
      s.list[idx] = [n, v];
      s.list = s.list.filter(([k], i) => k !== n || i === idx);
    }
    updateUrl(this);
  }
  sort() {
    const s = paramsSlots.get(this);
    s.list = s.list.map((e, i) => [e, i]).sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1])).map(([e]) => e);
    updateUrl(this);
  }
  forEach(callback, thisArg = undefined) {
    for (const [k, v] of slotList(this).slice()) callback.call(thisArg, v, k, this);
  }
  keys() { return slotList(this).map(([k]) => k)[Symbol.iterator](); }
  values() { return slotList(this).map(([, v]) => v)[Symbol.iterator](); }
  entries() { return slotList(this).map(([k, v]) => [k, v])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  toString() { return slotList(this).map(([k, v]) => formEncode(k) + "=" + formEncode(v)).join("&"); }
  get [Symbol.toStringTag]() { return "URLSearchParams"; }
}

function slotList(p) {
  const s = paramsSlots.get(p);
  if (s === undefined) throw new TypeError("Value of \"this\" must be of type URLSearchParams");
  return s.list;
}

function updateUrl(params) {
  const s = paramsSlots.get(params);
  if (s.url !== null) {
    const u = urlSlots.get(s.url);
    const q = params.toString();
    u.query = q === "" ? null : q;
  }
}

// ---- URL (WHATWG URL Standard, the parts handlers use) ----------------------------------------

const SPECIAL_PORTS = { "ftp:": "21", "file:": "", "http:": "80", "https:": "443", "ws:": "80", "wss:": "443" };
const urlSlots = new WeakMap();

// Percent-encode sets (§1.3): code points that get encoded besides C0 controls and > 0x7E.
const FRAGMENT_SET = ' "<>`';
const QUERY_SET = ' "#<>';
const SPECIAL_QUERY_SET = ' "#<>\'';
const PATH_SET = ' "#<>?`{}';
const USERINFO_SET = ' "#<>?`{}/:;=@[\\]^|';

function percentEncode(s, set) {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c > 0x1f && c < 0x7f && set.indexOf(ch) < 0) out += ch;
    else for (const b of utf8Encode(ch)) out += "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
  }
  return out;
}

function punycodeEncode(label) {
  // RFC 3492 encoding of one Unicode label (our implementation of the published algorithm).
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const cps = Array.from(label, (c) => c.codePointAt(0));
  let n = 128, delta = 0, bias = 72;
  let out = cps.filter((c) => c < 128).map((c) => String.fromCharCode(c)).join("");
  const basic = out.length;
  let h = basic;
  if (basic) out += "-";
  const digit = (d) => String.fromCharCode(d + 22 + 75 * (d < 26));
  const adapt = (d, numPoints, first) => {
    d = first ? Math.floor(d / damp) : d >> 1;
    d += Math.floor(d / numPoints);
    let k = 0;
    while (d > ((base - tMin) * tMax) >> 1) { d = Math.floor(d / (base - tMin)); k += base; }
    return k + Math.floor(((base - tMin + 1) * d) / (d + skew));
  };
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (base - t)));
          q = Math.floor((q - t) / (base - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === basic);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

function parseIPv4(host) {
  const parts = host.split(".");
  if (parts[parts.length - 1] === "") parts.pop();
  if (parts.length > 4 || parts.length === 0) return null;
  const nums = [];
  for (const p of parts) {
    if (p === "") return null;
    let n;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    nums.push(n);
  }
  let ipv4 = 0;
  for (let i = 0; i < nums.length - 1; i++) {
    if (nums[i] > 255) throw new TypeError("Invalid URL");
    ipv4 += nums[i] * 256 ** (3 - i);
  }
  const last = nums[nums.length - 1];
  if (last >= 256 ** (5 - nums.length)) throw new TypeError("Invalid URL");
  ipv4 += last;
  return [24, 16, 8, 0].map((s) => Math.floor(ipv4 / 2 ** s) % 256).join(".");
}

function parseHost(input, special) {
  if (input.startsWith("[")) {
    if (!input.endsWith("]") || !/^[0-9a-fA-F:.]+$/.test(input.slice(1, -1))) throw new TypeError("Invalid URL");
    return input.toLowerCase();
  }
  if (!special) {
    if (/[\0\t\n\r #/<>?@[\\\]^|]/.test(input)) throw new TypeError("Invalid URL");
    return percentEncode(input, "");
  }
  const decoded = utf8Decode(percentDecodeBytes(input), false).toLowerCase().normalize("NFC");
  if (decoded === "" || /[\0\t\n\r #%/:<>?@[\\\]^|\u007f]/.test(decoded)) throw new TypeError("Invalid URL");
  const ascii = decoded.split(/[.\u3002\uff0e\uff61]/).map((label) =>
    /^[\x00-\x7f]*$/.test(label) ? label : "xn--" + punycodeEncode(label)).join(".");
  const lastLabel = ascii.split(".").filter((l, i, a) => l !== "" || i !== a.length - 1).pop() || "";
  if (/^(0[xX][0-9a-fA-F]*|[0-9]+)$/.test(lastLabel)) {
    const v4 = parseIPv4(ascii);
    if (v4 === null) throw new TypeError("Invalid URL");
    return v4;
  }
  return ascii;
}

function normalizePath(segments, special) {
  const out = [];
  for (const raw of segments) {
    const seg = raw.toLowerCase();
    if (seg === ".." || seg === ".%2e" || seg === "%2e." || seg === "%2e%2e") { if (out.length) out.pop(); continue; }
    if (seg === "." || seg === "%2e") continue;
    out.push(raw);
  }
  const last = segments[segments.length - 1];
  if (last !== undefined && /^(\.|\.\.|%2e|\.%2e|%2e\.|%2e%2e)$/i.test(last)) out.push("");
  void special;
  return out;
}

// Parses `input` against an optional base record into a URL record, or throws TypeError.
function parseURL(input, base) {
  let s = String(input).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
  const url = { scheme: "", username: "", password: "", host: null, port: null, path: [], opaque: null, query: null, fragment: null };
  const hashIdx = s.indexOf("#");
  if (hashIdx >= 0) { url.fragment = percentEncode(s.slice(hashIdx + 1), FRAGMENT_SET); s = s.slice(0, hashIdx); }
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(s);
  let rest;
  if (schemeMatch) {
    url.scheme = schemeMatch[1].toLowerCase() + ":";
    rest = s.slice(schemeMatch[0].length);
  } else {
    if (!base) throw new TypeError("Invalid URL");
    url.scheme = base.scheme;
    rest = null;
  }
  const special = hasOwn(SPECIAL_PORTS, url.scheme);
  const takeQuery = (str) => {
    const q = str.indexOf("?");
    if (q >= 0) {
      url.query = percentEncode(str.slice(q + 1), special ? SPECIAL_QUERY_SET : QUERY_SET);
      return str.slice(0, q);
    }
    return str;
  };
  if (rest === null || (special && base && base.scheme === url.scheme && !/^[\\/]/.test(rest) && schemeMatch)) {
    // Relative reference against base.
    if (rest === null) rest = s;
    if (base.opaque !== null) {
      if (rest !== "" || hashIdx < 0) throw new TypeError("Invalid URL");
      Object.assign(url, { opaque: base.opaque, query: base.query });
      return url;
    }
    const slashes = special ? /^[\\/]{2}/ : /^\/\//;
    if (slashes.test(rest)) return parseAuthority(url, rest.replace(slashes, ""), special, takeQuery);
    url.username = base.username; url.password = base.password; url.host = base.host; url.port = base.port;
    if (rest === "") { url.path = base.path.slice(); url.query = base.query; return url; }
    const pathStr = takeQuery(rest);
    if (pathStr === "") { url.path = base.path.slice(); return url; }
    const segs = pathStr.split(special ? /[\\/]/ : /\//);
    let merged;
    if (pathStr[0] === "/" || (special && pathStr[0] === "\\")) merged = segs.slice(1);
    else merged = base.path.slice(0, -1).concat(segs);
    if (!merged.length) merged = [""];
    url.path = normalizePath(merged.map((p) => percentEncode(p, PATH_SET)), special);
    return url;
  }
  if (special) {
    return parseAuthority(url, rest.replace(/^[\\/]*/, ""), special, takeQuery);
  }
  if (rest.startsWith("//")) return parseAuthority(url, rest.slice(2), special, takeQuery);
  const pathStr = takeQuery(rest);
  if (pathStr.startsWith("/")) {
    url.path = normalizePath(pathStr.slice(1).split("/").map((p) => percentEncode(p, PATH_SET)), false);
  } else {
    url.opaque = percentEncode(pathStr, "");
  }
  return url;
}

function parseAuthority(url, str, special, takeQuery) {
  const end = str.search(special ? /[\/\\?]/ : /[\/?]/);
  let authority = end < 0 ? str : str.slice(0, end);
  let remainder = end < 0 ? "" : str.slice(end);
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = userinfo.indexOf(":");
    url.username = percentEncode(colon < 0 ? userinfo : userinfo.slice(0, colon), USERINFO_SET);
    url.password = colon < 0 ? "" : percentEncode(userinfo.slice(colon + 1), USERINFO_SET);
  }
  const portMatch = /:([^\]:]*)$/.exec(authority);
  let hostStr = authority;
  if (portMatch && !authority.endsWith("]")) {
    hostStr = authority.slice(0, portMatch.index);
    const portStr = portMatch[1];
    if (portStr !== "") {
      if (!/^[0-9]+$/.test(portStr) || Number(portStr) > 65535) throw new TypeError("Invalid URL");
      const port = String(Number(portStr));
      url.port = SPECIAL_PORTS[url.scheme] === port ? null : port;
    }
  }
  if (hostStr === "" && special && url.scheme !== "file:") throw new TypeError("Invalid URL");
  url.host = parseHost(hostStr, special);
  remainder = takeQuery(remainder);
  const segs = remainder === "" ? (special ? [""] : []) : remainder.slice(1).split(special ? /[\\/]/ : /\//);
  url.path = normalizePath(segs.map((p) => percentEncode(p, PATH_SET)), special);
  if (special && url.path.length === 0) url.path = [""];
  return url;
}

function serializeURL(u, excludeFragment) {
  let out = u.scheme;
  if (u.host !== null) {
    out += "//";
    if (u.username || u.password) out += u.username + (u.password ? ":" + u.password : "") + "@";
    out += u.host + (u.port !== null ? ":" + u.port : "");
  }
  out += u.opaque !== null ? u.opaque : (u.host === null && u.path.length > 1 && u.path[0] === "" ? "/." : "") + u.path.map((p) => "/" + p).join("");
  if (u.query !== null) out += "?" + u.query;
  if (!excludeFragment && u.fragment !== null) out += "#" + u.fragment;
  return out;
}

function urlRecord(obj) {
  const u = typeof obj === "object" && obj !== null ? urlSlots.get(obj) : undefined;
  if (u === undefined) throw new TypeError("Value of \"this\" must be of type URL");
  return u;
}

class URL {
  constructor(url, base = undefined) {
    let baseRecord;
    if (base !== undefined) baseRecord = parseURL(String(base), undefined);
    const record = parseURL(String(url), baseRecord);
    urlSlots.set(this, record);
    const params = new URLSearchParams(record.query || "");
    paramsSlots.get(params).url = this;
    record.params = params;
  }
  static canParse(url, base = undefined) {
    try { new URL(url, base); return true; } catch (e) { return false; }
  }
  get href() { return serializeURL(urlRecord(this), false); }
  set href(v) {
    const r = parseURL(String(v), undefined);
    const u = urlRecord(this);
    Object.assign(u, r, { params: u.params });
    paramsSlots.get(u.params).list = parseQuery(r.query || "");
  }
  get origin() {
    const u = urlRecord(this);
    if (!hasOwn(SPECIAL_PORTS, u.scheme) || u.scheme === "file:") return "null";
    return u.scheme + "//" + u.host + (u.port !== null ? ":" + u.port : "");
  }
  get protocol() { return urlRecord(this).scheme; }
  set protocol(v) {
    const u = urlRecord(this);
    const m = /^([A-Za-z][A-Za-z0-9+\-.]*)/.exec(String(v));
    if (!m) return;
    const scheme = m[1].toLowerCase() + ":";
    if (hasOwn(SPECIAL_PORTS, scheme) !== hasOwn(SPECIAL_PORTS, u.scheme)) return;
    u.scheme = scheme;
    if (u.port === SPECIAL_PORTS[scheme]) u.port = null;
  }
  get username() { return urlRecord(this).username; }
  set username(v) { const u = urlRecord(this); if (u.host) u.username = percentEncode(String(v), USERINFO_SET); }
  get password() { return urlRecord(this).password; }
  set password(v) { const u = urlRecord(this); if (u.host) u.password = percentEncode(String(v), USERINFO_SET); }
  get host() { const u = urlRecord(this); return u.host === null ? "" : u.host + (u.port !== null ? ":" + u.port : ""); }
  set host(v) {
    const u = urlRecord(this);
    if (u.opaque !== null) return;
    try {
      const r = parseURL(u.scheme + "//" + String(v), undefined);
      u.host = r.host;
      if (r.port !== null) u.port = r.port;
    } catch (e) { /* invalid hosts are ignored, as in browsers */ }
  }
  get hostname() { const u = urlRecord(this); return u.host === null ? "" : u.host; }
  set hostname(v) {
    const u = urlRecord(this);
    if (u.opaque !== null) return;
    try { u.host = parseURL(u.scheme + "//" + String(v).split(":")[0], undefined).host; } catch (e) { /* ignored */ }
  }
  get port() { const u = urlRecord(this); return u.port === null ? "" : u.port; }
  set port(v) {
    const u = urlRecord(this);
    const s = String(v);
    if (s === "") { u.port = null; return; }
    const m = /^[0-9]+/.exec(s);
    if (!m || Number(m[0]) > 65535) return;
    const port = String(Number(m[0]));
    u.port = SPECIAL_PORTS[u.scheme] === port ? null : port;
  }
  get pathname() { const u = urlRecord(this); return u.opaque !== null ? u.opaque : u.path.map((p) => "/" + p).join(""); }
  set pathname(v) {
    const u = urlRecord(this);
    if (u.opaque !== null) return;
    const special = hasOwn(SPECIAL_PORTS, u.scheme);
    let s = String(v);
    if (special || s.startsWith("/")) s = s.replace(special ? /^[\\/]/ : /^\//, "");
    u.path = normalizePath(s.split(special ? /[\\/]/ : /\//).map((p) => percentEncode(p, PATH_SET)), special);
  }
  get search() { const u = urlRecord(this); return u.query === null || u.query === "" ? "" : "?" + u.query; }
  set search(v) {
    const u = urlRecord(this);
    let s = String(v);
    if (s.startsWith("?")) s = s.slice(1);
    u.query = s === "" ? null : percentEncode(s, hasOwn(SPECIAL_PORTS, u.scheme) ? SPECIAL_QUERY_SET : QUERY_SET);
    paramsSlots.get(u.params).list = parseQuery(s);
  }
  get searchParams() { return urlRecord(this).params; }
  get hash() { const u = urlRecord(this); return u.fragment === null || u.fragment === "" ? "" : "#" + u.fragment; }
  set hash(v) {
    const u = urlRecord(this);
    let s = String(v);
    if (s.startsWith("#")) s = s.slice(1);
    u.fragment = s === "" ? null : percentEncode(s, FRAGMENT_SET);
  }
  toString() { return this.href; }
  toJSON() { return this.href; }
  get [Symbol.toStringTag]() { return "URL"; }
}

// ---- structuredClone, DOMException -------------------------------------------------------------

const DOM_CODES = { DataCloneError: 25, QuotaExceededError: 22, InvalidCharacterError: 5, SyntaxError: 12 };

class DOMException extends Error {
  constructor(message = "", name = "Error") {
    super(String(message));
    Object.defineProperty(this, "name", { value: String(name), writable: true, configurable: true });
    Object.defineProperty(this, "code", { value: DOM_CODES[name] || 0, writable: true, configurable: true });
  }
}

const ERROR_CTORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

function structuredCloneImpl(value) {
  const seen = new Map();
  const clone = (v) => {
    if (typeof v === "function" || typeof v === "symbol") {
      throw new DOMException(`${typeof v === "symbol" ? String(v) : Function.prototype.toString.call(v)} could not be cloned.`, "DataCloneError");
    }
    if (typeof v !== "object" || v === null) return v;
    if (seen.has(v)) return seen.get(v);
    let out;
    const tag = Object.prototype.toString.call(v);
    if (v instanceof OrigDate) { out = new OrigDate(thisTime(v)); seen.set(v, out); return out; }
    if (v instanceof RegExp) { out = new RegExp(v.source, v.flags); seen.set(v, out); return out; }
    if (v instanceof ArrayBuffer) { out = v.slice(0); seen.set(v, out); return out; }
    if (ArrayBuffer.isView(v)) {
      const buffer = clone(v.buffer);
      out = v instanceof DataView ? new DataView(buffer, v.byteOffset, v.byteLength)
        : new v.constructor(buffer, v.byteOffset, v.length);
      seen.set(v, out);
      return out;
    }
    if (v instanceof Map) {
      out = new Map(); seen.set(v, out);
      for (const [k, val] of v) out.set(clone(k), clone(val));
      return out;
    }
    if (v instanceof Set) {
      out = new Set(); seen.set(v, out);
      for (const k of v) out.add(clone(k));
      return out;
    }
    if (v instanceof Error) {
      const Ctor = ERROR_CTORS[v.name] || Error;
      out = new Ctor();  // a real Error object ("[object Error]"), not one inheriting from it
      seen.set(v, out);
      const msg = Object.getOwnPropertyDescriptor(v, "message");
      if (msg) Object.defineProperty(out, "message", { value: String(v.message), writable: true, configurable: true });
      if (typeof v.stack === "string") Object.defineProperty(out, "stack", { value: v.stack, writable: true, configurable: true });
      else delete out.stack;
      if ("cause" in v) Object.defineProperty(out, "cause", { value: clone(v.cause), writable: true, configurable: true });
      return out;
    }
    if (tag === "[object Boolean]" || tag === "[object Number]" || tag === "[object String]" || tag === "[object BigInt]") {
      out = Object(v.valueOf()); seen.set(v, out); return out;
    }
    if (Array.isArray(v)) {
      out = new Array(v.length);
      seen.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    }
    if (tag !== "[object Object]" && tag !== "[object Arguments]") {
      throw new DOMException(`${tag.slice(8, -1)} object could not be cloned.`, "DataCloneError");
    }
    out = {};
    seen.set(v, out);
    for (const k of Object.keys(v)) out[k] = clone(v[k]);
    return out;
  };
  return clone(value);
}

// ---- crypto: ChaCha20 keystream keyed with 32 bytes from the host's os.urandom -----------------

const chacha = { key: new Uint32Array(8), counter: 0, nonce: new Uint32Array(3), block: new Uint8Array(64), used: 64 };
for (let i = 0; i < 8; i++) chacha.key[i] = (SEED[i * 4] | (SEED[i * 4 + 1] << 8) | (SEED[i * 4 + 2] << 16) | (SEED[i * 4 + 3] << 24)) >>> 0;

function chachaBlock() {
  const s = new Uint32Array(16);
  s[0] = 0x61707865; s[1] = 0x3320646e; s[2] = 0x79622d32; s[3] = 0x6b206574;
  s.set(chacha.key, 4);
  s[12] = chacha.counter;
  s.set(chacha.nonce, 13);
  const x = s.slice();
  const rotl = (v, c) => ((v << c) | (v >>> (32 - c))) >>> 0;
  const qr = (a, b, c, d) => {
    x[a] = (x[a] + x[b]) >>> 0; x[d] = rotl(x[d] ^ x[a], 16);
    x[c] = (x[c] + x[d]) >>> 0; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] = (x[a] + x[b]) >>> 0; x[d] = rotl(x[d] ^ x[a], 8);
    x[c] = (x[c] + x[d]) >>> 0; x[b] = rotl(x[b] ^ x[c], 7);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  for (let i = 0; i < 16; i++) {
    const v = (x[i] + s[i]) >>> 0;
    chacha.block[i * 4] = v & 255; chacha.block[i * 4 + 1] = (v >>> 8) & 255;
    chacha.block[i * 4 + 2] = (v >>> 16) & 255; chacha.block[i * 4 + 3] = v >>> 24;
  }
  chacha.counter = (chacha.counter + 1) >>> 0;
  if (chacha.counter === 0) chacha.nonce[0]++;
  chacha.used = 0;
}

function randomByte() {
  if (chacha.used === 64) chachaBlock();
  return chacha.block[chacha.used++];
}

const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  typeof BigInt64Array === "function" ? BigInt64Array : Int8Array, typeof BigUint64Array === "function" ? BigUint64Array : Int8Array];

function getRandomValues(array) {
  if (!ArrayBuffer.isView(array) || !INTEGER_ARRAYS.some((T) => array instanceof T)) {
    throw new DOMException("The data argument must be an integer-type TypedArray", "TypeMismatchError");
  }
  if (array.byteLength > 65536) {
    throw new DOMException("The requested length exceeds 65,536 bytes", "QuotaExceededError");
  }
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = randomByte();
  return array;
}

function randomUUID() {
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = randomByte();
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// atob/btoa per the HTML standard's forgiving-base64, with Node's error messages.
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function atobImpl(input) {
  if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
  let s = String(input).replace(/[\t\n\f\r ]/g, "");
  if (s.length % 4 === 0) s = s.replace(/={1,2}$/, "");
  if (s.length % 4 === 1) throw new DOMException("The string to be decoded is not correctly encoded.", "InvalidCharacterError");
  if (/[^A-Za-z0-9+/]/.test(s)) throw new DOMException("Invalid character", "InvalidCharacterError");
  let out = "", buffer = 0, bits = 0;
  for (let i = 0; i < s.length; i++) {
    buffer = (buffer << 6) | B64.indexOf(s[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 255);
    }
  }
  return out;
}

function btoaImpl(input) {
  if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
  const s = String(input);
  let out = "";
  for (let i = 0; i < s.length; i += 3) {
    const codes = [s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2)];
    for (const c of codes) if (c > 255) throw new DOMException("Invalid character", "InvalidCharacterError");
    const n = (codes[0] << 16) | ((codes[1] || 0) << 8) | (codes[2] || 0);
    const count = Math.min(3, s.length - i);
    for (let k = 0; k < 4; k++) out += k <= count ? B64[(n >> (18 - 6 * k)) & 63] : "=";
  }
  return out;
}

function installWeb() {
  const crypto = {};
  Object.defineProperty(crypto, "getRandomValues", { value: function getRandomValues_(a) { return getRandomValues(a); }, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(crypto, "randomUUID", { value: function randomUUID_() { return randomUUID(); }, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(crypto, Symbol.toStringTag, { value: "Crypto", configurable: true });
  const globals = {
    URL, URLSearchParams, TextEncoder, TextDecoder, DOMException, crypto,
    atob: function atob(data) { return atobImpl.apply(undefined, arguments); },
    btoa: function btoa(data) { return btoaImpl.apply(undefined, arguments); },
    structuredClone: function structuredClone(value) {
      if (arguments.length === 0) throw new TypeError('The "value" argument must be specified');
      return structuredCloneImpl(value);
    },
    queueMicrotask: function queueMicrotask(callback) {
      if (typeof callback !== "function") throw new TypeError('The "callback" argument must be of type function. Received ' + (callback === null ? "null" : typeof callback));
      Promise.resolve().then(() => callback());
    },
  };
  for (const name of Object.keys(globals)) {
    Object.defineProperty(globalThis, name, { value: globals[name], writable: true, configurable: true, enumerable: false });
  }
}
