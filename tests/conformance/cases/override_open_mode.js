// @samples payment.succeeded subscription.active
// A handler that patches built-ins (they stay writable for it): instance overrides work as
// everywhere, and jobs that run after it returned still see its patches (as in V8).
String.prototype.shout = function () { return this.toUpperCase() + "!"; };
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  class E2 extends Error {}
  E2.prototype.name = "E2";
  t("proto_name", () => String(new E2("m")));
  t("instance", () => { const e = new E2("x"); e.name = "Own"; return String(e); });
  t("shout", () => webhook.payload.type.shout());
  t("array_push", () => { const a = []; a.push = () => "own"; return a.push(); });
  t("regexp", () => { const re = /foo/; re[Symbol.match] = false; return "/foo/".startsWith(re); });
  Promise.resolve().then(() => console.log("job:", "late".shout()));
  queueMicrotask(() => console.log("microtask:", typeof "".shout));
  webhook.payload = r;
  return webhook;
}
