// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
  t("c1", () => crypto.randomUUID() !== crypto.randomUUID());
  t("c2", () => crypto.getRandomValues(new Uint8Array(16)).length);
  t("c3", () => crypto.getRandomValues(new Uint32Array(4)) instanceof Uint32Array);
  t("c4", () => typeof crypto.getRandomValues);
  t("c5", () => (() => { const a = crypto.getRandomValues(new Uint8Array(64)); return a.some(x => x !== 0); })());
  t("c6", () => crypto.getRandomValues(new Uint8Array(65537)));
  t("c7", () => crypto.getRandomValues(new Float32Array(2)));
  t("c8", () => (() => { try { crypto.getRandomValues(new Uint8Array(70000)); } catch (e) { return e.name; } })());
  webhook.payload = r;
  return webhook;
}
