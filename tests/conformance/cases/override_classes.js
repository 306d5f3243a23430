// @samples payment.succeeded subscription.active
// Class instances that override inherited built-in names by assignment, in constructors
// (class code is strict) and outside them; Symbol.toPrimitive, Symbol.toStringTag, iterators.
class Money {
  constructor(amount, currency) {
    this.amount = amount;
    this.currency = currency;
    this.toString = () => (this.amount / 100).toFixed(2) + " " + this.currency;
    this[Symbol.toPrimitive] = (hint) => (hint === "number" ? this.amount : this.toString());
    this[Symbol.toStringTag] = "Money";
    this.valueOf = () => this.amount;
    this.constructor = Money;
  }
}
class Cart {
  constructor(items) { this.items = items; this[Symbol.iterator] = function* () { yield* this.items; }; }
}
function handler(webhook) {
  "use strict";
  const d = webhook.payload.data;
  const m = new Money(d.total_amount || d.recurring_pre_tax_amount || 0, d.currency || "USD");
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  t("template", () => `${m}`);
  t("plus", () => m + "");
  t("number", () => +m);
  t("tag", () => Object.prototype.toString.call(m));
  t("keys", () => Object.keys(m).join(","));
  t("json", () => JSON.stringify(m));
  t("cart", () => [...new Cart(["a", "b"])].join("+"));
  t("strict_assign", () => { const o = {}; o.toString = () => "strict ok"; return String(o); });
  t("strict_readonly_throws", () => { const e = new Map(); e[Symbol.toStringTag] = "X"; return "no throw"; });
  t("strict_frozen_own", () => { const o = Object.freeze({ toString: () => "frozen own" }); try { o.toString = () => 1; } catch (e) { return e.name; } return "no throw"; });
  t("strict_error_name", () => { const e = new Error("s"); e.name = "StrictError"; return String(e); });
  t("strict_array_push", () => { const a = []; a.push = () => "p"; return a.push(); });
  console.log(r.template, r.number);
  webhook.payload = r;
  return webhook;
}
