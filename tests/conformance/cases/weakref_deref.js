// @samples payment.succeeded refund.succeeded
// A WeakRef's target lives at least until the job that made it (or deref'd it) ends: V8 keeps
// it alive; so does runner, until the event ends.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("fresh_object", () => { const w = new WeakRef({ a: 1 }); return typeof w.deref() + " " + w.deref().a; });
  t("same_target", () => { const o = { b: 2 }; const w = new WeakRef(o); return w.deref() === o; });
  t("function_target", () => new WeakRef(() => "fn").deref()());
  t("symbol_target", () => String(new WeakRef(Symbol("s")).deref()));
  t("array_target", () => new WeakRef([1, 2, 3]).deref().length);
  t("payload", () => new WeakRef(webhook.payload).deref().type);
  t("many", () => { const refs = []; for (let i = 0; i < 100; i++) refs.push(new WeakRef({ i })); return refs.filter((w) => w.deref() !== undefined).length; });
  t("deref_twice", () => { const w = new WeakRef({ c: 3 }); return w.deref() === w.deref(); });
  t("intrinsic", () => new WeakRef(Math).deref() === Math);
  t("in_map", () => { const cache = new Map(); cache.set("k", new WeakRef({ v: "cached" })); return cache.get("k").deref().v; });
  const later = new WeakRef({ d: 4 });
  Promise.resolve().then(() => console.log("in a later job:", typeof later.deref()));
  (async () => { const w = new WeakRef({ e: 5 }); await null; console.log("after await:", w.deref() && w.deref().e); })();
  console.log("fresh", r.fresh_object);
  webhook.payload = r;
  return webhook;
}
