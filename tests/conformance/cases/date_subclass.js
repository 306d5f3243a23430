// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (() => { class D2 extends Date { ymd() { return this.toISOString().slice(0, 10); } } return new D2(p.timestamp).ymd(); })());
  t("c1", () => (() => { class D2 extends Date {} const x = new D2(2025, 0, 1); return [x instanceof Date, x.getFullYear()]; })());
  webhook.payload = r;
  return webhook;
}
