// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.NumberFormat('en-US').format(NaN));
  t("c1", () => new Intl.NumberFormat('en-US').format(Infinity));
  t("c2", () => new Intl.NumberFormat('en-US').format(-Infinity));
  t("c3", () => new Intl.NumberFormat('en-US').format(1e21));
  t("c4", () => new Intl.NumberFormat('en-US').format(1e-7));
  t("c5", () => new Intl.NumberFormat('en-US').format(123456789012345680000));
  t("c6", () => new Intl.NumberFormat('en-US').format(Number.MAX_SAFE_INTEGER));
  t("c7", () => new Intl.NumberFormat('en-US').format(5e-324));
  t("c8", () => new Intl.NumberFormat('de-DE').format(NaN));
  t("c9", () => new Intl.NumberFormat('de-DE').format(Infinity));
  t("c10", () => new Intl.NumberFormat('de-DE').format(-Infinity));
  t("c11", () => new Intl.NumberFormat('de-DE').format(1e21));
  t("c12", () => new Intl.NumberFormat('de-DE').format(1e-7));
  t("c13", () => new Intl.NumberFormat('de-DE').format(123456789012345680000));
  t("c14", () => new Intl.NumberFormat('de-DE').format(Number.MAX_SAFE_INTEGER));
  t("c15", () => new Intl.NumberFormat('de-DE').format(5e-324));
  t("c16", () => new Intl.NumberFormat('fr-FR').format(NaN));
  t("c17", () => new Intl.NumberFormat('fr-FR').format(Infinity));
  t("c18", () => new Intl.NumberFormat('fr-FR').format(-Infinity));
  t("c19", () => new Intl.NumberFormat('fr-FR').format(1e21));
  t("c20", () => new Intl.NumberFormat('fr-FR').format(1e-7));
  t("c21", () => new Intl.NumberFormat('fr-FR').format(123456789012345680000));
  t("c22", () => new Intl.NumberFormat('fr-FR').format(Number.MAX_SAFE_INTEGER));
  t("c23", () => new Intl.NumberFormat('fr-FR').format(5e-324));
  webhook.payload = r;
  return webhook;
}
