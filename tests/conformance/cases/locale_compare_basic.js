// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => 'a'.localeCompare('b'));
  t("c1", () => 'b'.localeCompare('a'));
  t("c2", () => 'a'.localeCompare('a'));
  t("c3", () => 'a'.localeCompare('B'));
  t("c4", () => 'A'.localeCompare('a'));
  t("c5", () => 'résumé'.localeCompare('resume'));
  t("c6", () => 'resume'.localeCompare('Résumé'));
  t("c7", () => 'a'.localeCompare('á', undefined, {sensitivity:'base'}));
  t("c8", () => 'a'.localeCompare('A', undefined, {sensitivity:'accent'}));
  t("c9", () => 'item10'.localeCompare('item9', undefined, {numeric:true}));
  t("c10", () => 'item10'.localeCompare('item9'));
  t("c11", () => '10'.localeCompare('9'));
  t("c12", () => ''.localeCompare('a'));
  t("c13", () => 'abc'.localeCompare('ab'));
  webhook.payload = r;
  return webhook;
}
