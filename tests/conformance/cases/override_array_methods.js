// @samples payment.succeeded
// Arrays: methods, iterators and constructor assigned on an instance.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  t("push", () => { const a = [1]; const seen = []; a.push = function (...v) { seen.push(...v); return Array.prototype.push.apply(this, v); }; a.push(2, 3); return a.join() + " / " + seen.join(); });
  t("iterator", () => { const a = [1, 2]; a[Symbol.iterator] = function* () { yield "x"; yield "y"; }; return [...a].join() + " " + Array.from(a).join() + " " + a.length; });
  t("for_of", () => { const a = [1, 2, 3]; a[Symbol.iterator] = function* () { yield 42; }; const out = []; for (const v of a) out.push(v); return out.join(); });
  t("destructure", () => { const a = [1, 2]; a[Symbol.iterator] = () => ["p", "q"].values(); const [x, y] = a; return x + y; });
  t("map", () => { const a = [1, 2]; a.map = () => "mapped"; return a.map((x) => x); });
  t("toString", () => { const a = [1, 2]; a.toString = () => "list"; return `${a}` + " " + String(a) + " " + [a, a].join(";"); });
  t("join_used_by_toString", () => { const a = [1, 2]; a.join = () => "joined"; return String(a); });
  t("constructor_species", () => { class MyArray extends Array {} const a = [1, 2, 3]; a.constructor = MyArray; const m = a.map((x) => x * 2); return (m instanceof MyArray) + " " + m.join(); });
  t("constructor_undefined", () => { const a = [1]; a.constructor = undefined; return Array.isArray(a.filter(Boolean)); });
  t("includes", () => { const a = ["a"]; a.includes = () => true; return a.includes("zzz"); });
  t("length_still_array", () => { const a = [1, 2, 3]; a.length = 1; return a.length + " " + a.join(); });
  t("keys", () => { const a = [1]; a.push = 1; a[Symbol.iterator] = 2; return Object.keys(a).join() + " " + Object.getOwnPropertySymbols(a).length; });
  t("json", () => { const a = [1]; a.toJSON = () => "custom json"; return JSON.stringify({ a }); });
  t("concat_spreadable", () => { const a = [1]; const b = { length: 2, 0: "x", 1: "y" }; b[Symbol.isConcatSpreadable] = true; return a.concat(b).join(); });
  t("array_like_proto", () => { const o = Object.create(Array.prototype); o.push = () => "own push"; return o.push(); });
  t("sort_compare", () => { const a = [3, 1, 2]; a.sort = () => "no"; return Array.prototype.sort.call(a).join() + " " + a.sort(); });
  t("unscopables", () => Object.keys(Array.prototype[Symbol.unscopables]).length > 5);
  t("proto_untouched", () => typeof Array.prototype.push + " " + [].push.name + " " + [][Symbol.iterator].name);
  console.log(r.push);
  webhook.payload = r;
  return webhook;
}
