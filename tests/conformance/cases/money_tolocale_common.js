function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (d.total_amount / 100).toLocaleString('en-US', {style:'currency', currency:'USD'}));
  t("c1", () => (d.total_amount / 100).toLocaleString());
  t("c2", () => (d.total_amount / 100).toLocaleString('en-US', {minimumFractionDigits:2}));
  t("c3", () => (d.total_amount / 100).toLocaleString('en-US', {minimumFractionDigits:2, maximumFractionDigits:2}));
  t("c4", () => Number(d.amount || 0).toLocaleString());
  t("c5", () => ('400' / 100).toLocaleString('en-US', {style:'currency', currency:'USD'}));
  t("c6", () => (1.005).toLocaleString('en-US', {maximumFractionDigits:2}));
  t("c7", () => (2.345).toLocaleString('en-US', {style:'currency', currency:'USD'}));
  t("c8", () => (-1234.5).toLocaleString('en-US', {style:'currency', currency:'USD'}));
  t("c9", () => (-0).toLocaleString());
  t("c10", () => (-0.001).toLocaleString());
  t("c11", () => (0).toLocaleString('en-US', {style:'currency', currency:'USD'}));
  webhook.payload = r;
  return webhook;
}
