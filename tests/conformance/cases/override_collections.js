// @samples payment.succeeded
// Map, Set, WeakMap, Promise, Date, typed arrays and iterators: instance overrides.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  t("map_get", () => { const m = new Map([["a", 1]]); m.get = (k) => "override " + k; return m.get("a") + " " + Map.prototype.get.call(m, "a"); });
  t("map_iterator", () => { const m = new Map([["a", 1]]); m[Symbol.iterator] = function* () { yield ["z", 26]; }; return JSON.stringify([...m]) + " " + m.size; });
  t("set_add_used_by_ctor", () => { class LoggingSet extends Set { } const s = new LoggingSet(); s.add = function (v) { return Set.prototype.add.call(this, v * 10); }; s.add(1); return [...s].join(); });
  t("set_has", () => { const s = new Set([1]); s.has = () => false; return s.has(1); });
  t("weakmap_set", () => { const w = new WeakMap(); w.set = () => "no"; return w.set({}, 1); });
  t("promise_then", () => { const p = Promise.resolve(1); p.then = (f) => f("own then"); let got; p.then((v) => { got = v; }); return got; });
  t("date_toJSON", () => { const d = new Date(0); d.toJSON = () => "custom date"; return JSON.stringify({ d }); });
  t("date_toISOString", () => { const d = new Date(0); d.toISOString = () => "iso!"; return JSON.stringify(d); });
  t("date_getTime", () => { const d = new Date(0); d.getTime = () => 123; return d.getTime() + " " + d.valueOf(); });
  t("date_toPrimitive_readonly", () => { const d = new Date(0); d[Symbol.toPrimitive] = () => "prim"; return typeof (d + ""); });
  t("typed_array", () => { const u = new Uint8Array([1, 2]); u.join = () => "joined!"; u[Symbol.iterator] = function* () { yield 9; }; return u.join() + " " + [...u].join() + " " + u.length; });
  t("typed_toString", () => { const u = new Int16Array(2); u.toString = () => "int16"; return `${u}`; });
  t("arraybuffer_slice", () => { const b = new ArrayBuffer(4); b.slice = () => "s"; return b.slice(); });
  t("map_tag_readonly", () => { const m = new Map(); m[Symbol.toStringTag] = "Custom"; return Object.prototype.toString.call(m); });
  t("object_tag", () => { const o = {}; o[Symbol.toStringTag] = "Invoice"; return Object.prototype.toString.call(o) + " " + String(o); });
  t("iterator_next", () => { const it = [1, 2][Symbol.iterator](); it.next = () => ({ done: true }); return [...{ [Symbol.iterator]: () => it }].length; });
  t("generator_return", () => { function* g() { yield 1; } const it = g(); it.return = () => ({ done: true, value: "r" }); return it.return().value; });
  t("string_object", () => { const s = new String("abc"); s.toString = () => "xyz"; s.charAt = () => "!"; return s + " " + s.charAt(0) + " " + s.length; });
  t("number_object", () => { const n = new Number(5); n.valueOf = () => 6; n.toFixed = () => "fixed"; return (n + 1) + " " + n.toFixed(2); });
  t("bigint_object", () => { const b = Object(10n); b.toString = () => "ten"; return String(b); });
  t("symbol_description", () => { const s = Object(Symbol("d")); s.description = "x"; return s.description; });
  t("boolean_object", () => { const b = new Boolean(false); b.valueOf = () => true; return (b == true) + " " + !!b; });
  console.log(r.map_get);
  webhook.payload = r;
  return webhook;
}
