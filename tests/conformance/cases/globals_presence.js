// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => typeof fetch);
  t("c1", () => typeof setTimeout);
  t("c2", () => typeof queueMicrotask);
  t("c3", () => typeof structuredClone);
  t("c4", () => typeof URL);
  t("c5", () => typeof TextEncoder);
  t("c6", () => typeof Intl.DateTimeFormat);
  t("c7", () => typeof Intl.NumberFormat);
  t("c8", () => typeof Intl.PluralRules);
  t("c9", () => typeof Intl.RelativeTimeFormat);
  t("c10", () => typeof crypto.randomUUID);
  t("c11", () => typeof atob);
  t("c12", () => typeof globalThis.require);
  t("c13", () => typeof process);
  webhook.payload = r;
  return webhook;
}
