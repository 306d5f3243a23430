// @samples payment.succeeded
// Functions: call, apply, bind, toString, name, length assigned on an instance.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  t("call", () => { function f() { return "real"; } f.call = () => "patched call"; return f.call() + " " + Function.prototype.call.call(f); });
  t("apply", () => { const f = (a, b) => a + b; f.apply = () => "no apply"; return f.apply(null, [1, 2]) + " " + Reflect.apply(f, null, [1, 2]); });
  t("bind", () => { const f = function () { return this.v; }; f.bind = () => () => "not bound"; return f.bind({ v: 1 })(); });
  t("toString", () => { function secret() { return 1; } secret.toString = () => "[redacted]"; return String(secret) + " " + `${secret}`; });
  t("name_readonly", () => { function named() {} named.name = "renamed"; return named.name; });
  t("length_readonly", () => { function two(a, b) {} two.length = 9; return two.length; });
  t("prototype_writable", () => { function C() {} C.prototype = { hello: "world" }; return new C().hello; });
  t("arrow_prototype", () => { const a = () => 1; a.prototype = 5; return a.prototype; });
  t("constructor_prop", () => { function g() {} g.constructor = "c"; return g.constructor; });
  t("symbol_hasInstance_readonly", () => { function H() {} H[Symbol.hasInstance] = () => true; return ({}) instanceof H; });
  t("define_hasInstance", () => { function H() {} Object.defineProperty(H, Symbol.hasInstance, { value: () => true }); return ({}) instanceof H; });
  t("class_static", () => { class K { static create() { return "orig"; } } K.create = () => "patched"; return K.create(); });
  t("async_fn", () => { const f = async () => 1; f.call = "x"; return f.call; });
  t("keys", () => { function f() {} f.call = 1; f.apply = 2; f.toString = 3; return Object.keys(f).join(); });
  console.log(r.call, r.name_readonly);
  webhook.payload = r;
  return webhook;
}
