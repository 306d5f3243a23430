// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => 'i'.toLocaleUpperCase('tr-TR'));
  t("c1", () => 'I'.toLocaleLowerCase('tr'));
  t("c2", () => 'title'.toLocaleUpperCase());
  t("c3", () => 'ÉCOLE'.toLocaleLowerCase('fr-FR'));
  webhook.payload = r;
  return webhook;
}
