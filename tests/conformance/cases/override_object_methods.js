// @samples payment.succeeded refund.succeeded
// Assigning names plain objects inherit from Object.prototype, by assignment (not in literals).
function handler(webhook) {
  const d = webhook.payload.data;
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  t("toString", () => { const o = {}; o.toString = () => "amount " + d.total_amount; return `${o}` + " " + String(o) + " " + (o + ""); });
  t("valueOf", () => { const o = { n: 2 }; o.valueOf = function () { return this.n * 21; }; return o * 1 + " " + (o > 41); });
  t("toLocaleString", () => { const o = {}; o.toLocaleString = () => "local"; return [o].toLocaleString(); });
  t("hasOwnProperty", () => { const o = { a: 1 }; o.hasOwnProperty = () => "shadowed"; return o.hasOwnProperty("a") + " " + Object.prototype.hasOwnProperty.call(o, "a"); });
  t("isPrototypeOf", () => { const o = {}; o.isPrototypeOf = 5; return o.isPrototypeOf; });
  t("propertyIsEnumerable", () => { const o = {}; o.propertyIsEnumerable = "p"; return o.propertyIsEnumerable; });
  t("constructor", () => { const o = {}; o.constructor = "not a function"; return o.constructor + " " + Object.keys(o).join(","); });
  t("__defineGetter__", () => { const o = {}; o.__defineGetter__ = 1; o.__lookupGetter__ = 2; return o.__defineGetter__ + o.__lookupGetter__; });
  t("assign", () => { const o = Object.assign({}, { toString() { return "assigned"; }, valueOf: () => 7 }); return String(o) + " " + (o * 2); });
  t("assign_order", () => Object.keys(Object.assign({}, { b: 1, toString: 2, a: 3 })).join(","));
  t("spread_define", () => { const o = { ...{ toString: () => "spread" } }; return String(o); });
  t("literal", () => { const o = { toString: () => "literal", valueOf: () => 3 }; return String(o) + (o + 1); });
  t("JSON_keys", () => { const o = { a: 1 }; o.toString = "s"; o.valueOf = "v"; o.constructor = "c"; return JSON.stringify(o); });
  t("descriptor", () => { const o = {}; o.toString = 1; return JSON.stringify(Object.getOwnPropertyDescriptor(o, "toString")); });
  t("frozen_instance", () => { const o = Object.freeze({}); o.toString = () => "x"; return String(o); });
  t("sealed_instance", () => { const o = Object.preventExtensions({}); o.valueOf = () => 9; return o.valueOf === Object.prototype.valueOf; });
  t("own_readonly", () => { const o = {}; Object.defineProperty(o, "toString", { value: () => "ro", writable: false, configurable: true }); o.toString = () => "new"; return String(o); });
  t("own_writable", () => { const o = {}; Object.defineProperty(o, "toString", { value: () => "w", writable: true, enumerable: false, configurable: true }); o.toString = () => "replaced"; return String(o) + " " + Object.keys(o).length; });
  t("inherited_chain", () => { const base = {}; const child = Object.create(base); child.toString = () => "child"; return String(child) + " " + String(base).slice(0, 8); });
  t("null_proto", () => { const o = Object.create(null); o.toString = () => "np"; return String(o); });
  t("getter_on_proto", () => { const base = { get toString() { return () => "getter"; } }; const c = Object.create(base); c.toString = () => "set"; return String(c); });
  t("reflect_set", () => { const a = {}, b = {}; Reflect.set(a, "toString", () => "via receiver", b); return String(b) + " " + Object.keys(a).length; });
  t("reflect_set_result", () => Reflect.set({}, "valueOf", 1) + " " + Reflect.set(Object.freeze({ valueOf: 1 }), "valueOf", 2));
  t("super_assign", () => { class A { set() { super.toString = () => "super set"; return String(this); } } return new A().set(); });
  t("with_statement", () => { const o = {}; o.toString = () => "w"; return String(o) + typeof o.toString; });
  console.log(r.toString);
  webhook.payload = r;
  return webhook;
}
