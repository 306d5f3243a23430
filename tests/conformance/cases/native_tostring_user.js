// @samples payment.succeeded
// The handler's own functions print their source text verbatim, as in V8.
const topLevel = function (a, b = 2) { /* a comment */ return a + b; };
class Invoice {
  #secret = 1;
  static count = 0;
  static { Invoice.count = 1; }
  constructor(id) { this.id = id; }
  get label() { return "inv " + this.id; }
  set label(v) { this.id = v; }
  static create(id) { return new Invoice(id); }
  async *pages() { yield 1; }
  [Symbol.iterator]() { return [][Symbol.iterator](); }
  ["computed" + "Name"]() {}
}
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const d = Object.getOwnPropertyDescriptor(Invoice.prototype, "label");
  t("declaration", () => handler.toString().split("\n")[0]);
  t("expression", () => topLevel.toString());
  t("arrow", () => ((x) => x * 2).toString());
  t("arrow_body", () => String(async (x) => { await x; }));
  t("class", () => String(Invoice).split("\n").slice(0, 3).join("|"));
  t("class_anon", () => String(class {}));
  t("class_extends", () => String(class Sub extends Invoice { m() {} }));
  t("getter", () => String(d.get));
  t("setter", () => String(d.set));
  t("static", () => String(Invoice.create));
  t("async_gen", () => String(Invoice.prototype.pages));
  t("symbol_method", () => String(Invoice.prototype[Symbol.iterator]));
  t("computed", () => String(Invoice.prototype.computedName));
  t("method", () => String({ m(a) { return a; } }.m));
  t("generator", () => String(function* gen() { yield 1; }));
  t("async", () => String(async function named() {}));
  t("new_function", () => String(new Function("a", "b", "return a + b")));
  t("new_function_empty", () => String(Function()));
  t("unicode", () => String(function é() { return "ü"; }));
  t("odd_spacing", () => String(function    spaced  (  a ,b )   {return a}));
  t("own_toString", () => { function f() {} f.toString = () => "mine"; return String(f) + " " + Function.prototype.toString.call(f); });
  t("json", () => JSON.stringify({ f: String(() => 0) }));
  console.log(r.arrow);
  webhook.payload = r;
  return webhook;
}
