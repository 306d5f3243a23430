function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (d.total_amount / 100).toFixed(2));
  t("c1", () => (Number(d.amount) / 100).toFixed(2));
  t("c2", () => ('400' / 100).toFixed(2));
  t("c3", () => (1.005).toFixed(2));
  t("c4", () => (1.255).toFixed(2));
  t("c5", () => (2.5).toFixed(0));
  t("c6", () => (-1.5).toFixed(0));
  t("c7", () => (0.000001).toFixed(7));
  t("c8", () => (1e21).toFixed(2));
  t("c9", () => (123.456).toFixed(10));
  t("c10", () => (0.1 + 0.2).toFixed(20));
  t("c11", () => (-0).toFixed(2));
  webhook.payload = r;
  return webhook;
}
