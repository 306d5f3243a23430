function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => [10, 9, 1, 2, 100, 25].sort());
  t("c1", () => [10, 9, 1, 2, 100, 25].sort((a, b) => a - b));
  t("c2", () => [3, undefined, 1, null, NaN, 2].sort());
  t("c3", () => ['b', 'a', 'C', 'B', 'á', 'Z', '10', '9'].sort());
  t("c4", () => ['b', 'a', 'C', 'B', 'á', 'Z', '10', '9'].sort((a, b) => a.localeCompare(b)));
  t("c5", () => [{n: 'a', v: 2}, {n: 'b', v: 1}, {n: 'c', v: 2}, {n: 'd', v: 1}, {n: 'e', v: 2}].sort((x, y) => x.v - y.v).map(x => x.n).join(''));
  t("c6", () => Array.from({length: 20}, (_, i) => ({i, k: i % 3})).sort((a, b) => a.k - b.k).map(x => x.i).join(','));
  t("c7", () => [5, 1, 4].toSorted());
  t("c8", () => [1, 2, 3].toReversed());
  t("c9", () => [1, 2, 3].with(1, 9));
  t("c10", () => [-1, -2, 3, -0, 0].sort());
  t("c11", () => [1e21, 1e-7, 5].sort());
  t("c12", () => ['item10', 'item2', 'item1'].sort(new Intl.Collator(undefined, {numeric: true}).compare));
  t("c13", () => [true, false, 'true'].sort());
  t("c14", () => (d.product_cart || []).map(x => x.quantity).sort((a, b) => b - a));
  t("c15", () => [3, 1, 2].sort(() => 0));
  t("c16", () => [[2, 'b'], [1, 'a'], [2, 'a']].sort().join(';'));
  t("c17", () => ['é', 'e', 'f', 'E'].sort(Intl.Collator('de').compare));
  t("c18", () => [1, 2, 3, 4, 5].findLast(x => x % 2 === 0));
  t("c19", () => [1, [2, [3, [4]]]].flat(Infinity));
  t("c20", () => Array.from(new Set([3, 1, 3, 2])));
  t("c21", () => [0, 1, 2].at(-1));
  webhook.payload = r;
  return webhook;
}
