function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (() => { const x = structuredClone(new Date(p.timestamp)); return [Object.prototype.toString.call(x), x.toISOString()]; })());
  t("c1", () => (() => { const m = structuredClone(new Map([['a', {b: 1}], [1, new Date(0)]])); return [Object.prototype.toString.call(m), m.size, m.get('a').b, m.get(1).getTime()]; })());
  t("c2", () => (() => { const s = structuredClone(new Set([1, 'x', 1])); return [Object.prototype.toString.call(s), [...s]]; })());
  t("c3", () => (() => { const o = {d: new Date(0)}; o.self = o; const c = structuredClone(o); return [c.self === c, c.d.getTime(), c !== o]; })());
  t("c4", () => (() => { try { structuredClone({f: () => 1}); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } })());
  t("c5", () => (() => { try { structuredClone(Symbol('x')); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } })());
  t("c6", () => (() => { const r = structuredClone(/ab+c/gi); return [Object.prototype.toString.call(r), r.source, r.flags, r.lastIndex]; })());
  t("c7", () => (() => { const e = structuredClone(new TypeError('bad')); return [Object.prototype.toString.call(e), e.message, e.name]; })());
  t("c8", () => (() => { const a = structuredClone([1, , 3]); return [a.length, 1 in a]; })());
  t("c9", () => structuredClone(d.metadata || {}));
  t("c10", () => (() => { const b = structuredClone(new Uint8Array([1, 2, 3])); return [b.constructor.name, Array.from(b)]; })());
  t("c11", () => (() => { class K { constructor() { this.v = 1; } } const c = structuredClone(new K()); return [Object.getPrototypeOf(c) === null ? "null" : typeof c, c.v]; })());
  t("c12", () => structuredClone(123n) === 123n);
  t("c13", () => structuredClone(null));
  t("c14", () => (() => { const o = structuredClone({get x() { return 5; }}); return Object.getOwnPropertyDescriptor(o, 'x').value; })());
  webhook.payload = r;
  return webhook;
}
