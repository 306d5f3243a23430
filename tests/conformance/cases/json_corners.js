function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => JSON.stringify({a: -0, b: 1e21, c: 1e-7, d: [undefined, function(){}, Symbol('x')], e: undefined, f: NaN, g: Infinity}));
  t("c1", () => JSON.stringify([,1,,]));
  t("c2", () => JSON.stringify({date: new Date(p.timestamp)}));
  t("c3", () => JSON.stringify('\u2028\u2029\ud800'));
  t("c4", () => JSON.stringify({k: 123456789012345680000}));
  t("c5", () => JSON.stringify(0.1 + 0.2));
  t("c6", () => JSON.stringify({a: 1, b: [1, {c: 2}]}, null, 2));
  t("c7", () => JSON.stringify({b: 1, a: 2, 1: 3, 0: 4}));
  t("c8", () => JSON.stringify(new Map([[1, 2]])));
  t("c9", () => -0);
  t("c10", () => [-0]);
  t("c11", () => Object.is(JSON.parse('-0'), -0));
  webhook.payload = r;
  return webhook;
}
