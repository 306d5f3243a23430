function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => ['banana', 'apple', 'Cherry', 'apple pie', 'Äpfel', 'zebra', 'Zoo', '_x', '1abc', 'abc1'].sort((a, b) => a.localeCompare(b)).join(','));
  t("c1", () => ['item 20', 'item 3', 'item 100', 'Item 1'].sort(new Intl.Collator('en', {numeric:true}).compare).join(','));
  t("c2", () => [d.customer.name, d.customer.email, 'alice', 'Bob', 'bob'].sort((a, b) => a.localeCompare(b)).join('|'));
  t("c3", () => ['a-b', 'ab', 'a b', 'a.b', 'a_b', 'aB'].sort((a, b) => a.localeCompare(b, 'en')).join(','));
  t("c4", () => ['x', 'X', 'y', 'Y'].sort(new Intl.Collator('en', {caseFirst:'upper'}).compare).join(''));
  webhook.payload = r;
  return webhook;
}
