function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => d.amount / 100);
  t("c1", () => '400' / 100);
  t("c2", () => +'400' / 100);
  t("c3", () => parseInt('400.99'));
  t("c4", () => parseFloat('400.99abc'));
  t("c5", () => Number(''));
  t("c6", () => Number(' 12 '));
  t("c7", () => Number('1,000'));
  t("c8", () => '19.99' * 100);
  t("c9", () => Math.round('19.99' * 100));
  t("c10", () => (19.99 * 100));
  t("c11", () => String(0.1 * 3));
  t("c12", () => (25).toString(2));
  t("c13", () => (255).toString(16).padStart(4, '0'));
  webhook.payload = r;
  return webhook;
}
