// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (0.256).toLocaleString('en-US', {style:'percent'}));
  t("c1", () => (0.256).toLocaleString('en-US', {style:'percent', maximumFractionDigits:2}));
  t("c2", () => (0.256).toLocaleString('de-DE', {style:'percent'}));
  t("c3", () => (0.256).toLocaleString('de-DE', {style:'percent', maximumFractionDigits:2}));
  t("c4", () => (0.256).toLocaleString('fr-FR', {style:'percent'}));
  t("c5", () => (0.256).toLocaleString('fr-FR', {style:'percent', maximumFractionDigits:2}));
  t("c6", () => (1).toLocaleString('en-US', {style:'percent'}));
  t("c7", () => (1).toLocaleString('en-US', {style:'percent', maximumFractionDigits:2}));
  t("c8", () => (1).toLocaleString('de-DE', {style:'percent'}));
  t("c9", () => (1).toLocaleString('de-DE', {style:'percent', maximumFractionDigits:2}));
  t("c10", () => (1).toLocaleString('fr-FR', {style:'percent'}));
  t("c11", () => (1).toLocaleString('fr-FR', {style:'percent', maximumFractionDigits:2}));
  t("c12", () => (-0.5).toLocaleString('en-US', {style:'percent'}));
  t("c13", () => (-0.5).toLocaleString('en-US', {style:'percent', maximumFractionDigits:2}));
  t("c14", () => (-0.5).toLocaleString('de-DE', {style:'percent'}));
  t("c15", () => (-0.5).toLocaleString('de-DE', {style:'percent', maximumFractionDigits:2}));
  t("c16", () => (-0.5).toLocaleString('fr-FR', {style:'percent'}));
  t("c17", () => (-0.5).toLocaleString('fr-FR', {style:'percent', maximumFractionDigits:2}));
  t("c18", () => (0.12345).toLocaleString('en-US', {style:'percent'}));
  t("c19", () => (0.12345).toLocaleString('en-US', {style:'percent', maximumFractionDigits:2}));
  t("c20", () => (0.12345).toLocaleString('de-DE', {style:'percent'}));
  t("c21", () => (0.12345).toLocaleString('de-DE', {style:'percent', maximumFractionDigits:2}));
  t("c22", () => (0.12345).toLocaleString('fr-FR', {style:'percent'}));
  t("c23", () => (0.12345).toLocaleString('fr-FR', {style:'percent', maximumFractionDigits:2}));
  webhook.payload = r;
  return webhook;
}
