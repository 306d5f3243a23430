// @samples payment.succeeded subscription.active
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => JSON.stringify(structuredClone(d)));
  t("c1", () => (() => { const c = structuredClone(p); c.data = null; return p.data !== null; })());
  t("c2", () => (() => { const x = {d: new Date(p.timestamp), m: new Map([[1, {a: 1}]]), s: new Set([1, 2])}; const c = structuredClone(x); return [Object.prototype.toString.call(c.d), c.d.toISOString(), c.m.get(1).a, c.s.has(2), c.m !== x.m]; })());
  t("c3", () => (() => { const a = {n: 1}; a.self = a; const c = structuredClone(a); return c.self === c && c !== a; })());
  t("c4", () => structuredClone(() => 1));
  t("c5", () => (() => { try { structuredClone({f() {}}); } catch (e) { return e.name + '|' + typeof e.message; } })());
  t("c6", () => structuredClone([1, , 3]).length);
  t("c7", () => structuredClone(-0));
  t("c8", () => JSON.stringify(structuredClone(new Uint8Array([1, 2, 3]))));
  t("c9", () => structuredClone(new Error('boom')).message);
  webhook.payload = r;
  return webhook;
}
