// @samples payment.succeeded
// Function.prototype.toString of the engine's own built-ins: V8's one-line form.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const P = Object.getPrototypeOf;
  const get = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
  t("abs", () => Math.abs.toString());
  t("push", () => String([].push));
  t("object", () => String(Object));
  t("function", () => Function.toString());
  t("function_proto", () => Function.prototype.toString());
  t("toString_itself", () => Function.prototype.toString.toString());
  t("getter", () => String(get(Map.prototype, "size")));
  t("proto_getter", () => String(get(Object.prototype, "__proto__")));
  t("proto_setter", () => String(Object.getOwnPropertyDescriptor(Object.prototype, "__proto__").set));
  t("flags", () => String(get(RegExp.prototype, "flags")));
  t("symbol_named", () => String(RegExp.prototype[Symbol.split]));
  t("iterator_alias", () => String(Array.prototype[Symbol.iterator]));
  t("to_primitive", () => String(Symbol.prototype[Symbol.toPrimitive]));
  t("throw_type_error", () => String(get(Function.prototype, "caller")));
  t("bound", () => String(function named() {}.bind(null)));
  t("bound_arrow", () => String((() => 1).bind(null)));
  t("bound_native", () => String(Math.max.bind(Math, 1)));
  t("proxy_function", () => String(new Proxy(function () {}, {})));
  t("proxy_class", () => Function.prototype.toString.call(new Proxy(class A {}, {})));
  t("resolver", () => { let f; new Promise((res) => { f = res; }); return String(f); });
  t("async_function_ctor", () => String(P(async function () {}).constructor));
  t("generator_ctor", () => String(P(function* () {}).constructor));
  t("iterator_next", () => String(P([][Symbol.iterator]()).next));
  t("typed_array", () => String(P(Int8Array)));
  t("typed_from", () => String(P(Int8Array).from));
  t("error_capture", () => String(Error.captureStackTrace));
  t("escape", () => String(escape));
  t("json_parse", () => String(JSON.parse));
  t("reflect_apply", () => `${Reflect.apply}`);
  t("date_now", () => String(Date.now));
  t("date_ctor", () => String(Date));
  t("template", () => `x ${Math.min} y`);
  t("concat", () => "" + Math.floor);
  t("non_function", () => Function.prototype.toString.call({}));
  t("non_function_proxy", () => Function.prototype.toString.call(new Proxy({}, {})));
  t("non_function_primitive", () => Function.prototype.toString.call("f"));
  console.log(r.abs);
  webhook.payload = r;
  return webhook;
}
