function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c1", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('en-AU', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c2", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c3", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('de-CH', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c4", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('fr-FR', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c5", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('es-ES', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c6", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('es-MX', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c7", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('pt-BR', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c8", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('nl-NL', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c9", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('it-IT', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c10", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('sv-SE', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c11", () => [1234.5, -9876543.2, 999999, 0.5].map(v => new Intl.NumberFormat('ja-JP', {style: 'currency', currency: 'USD', notation: 'compact'}).format(v)).join(' | '));
  t("c12", () => [0, 1234.5678, -0.005, 1e21, 999999].map(v => new Intl.NumberFormat('en-US', {notation: 'scientific'}).format(v)).join(' | '));
  t("c13", () => [0, 1234.5678, -0.005, 1e21, 999999].map(v => new Intl.NumberFormat('en-US', {notation: 'engineering'}).format(v)).join(' | '));
  t("c14", () => [0, 1234.5678, -0.005, 1e21, 999999].map(v => new Intl.NumberFormat('de-DE', {notation: 'scientific'}).format(v)).join(' | '));
  t("c15", () => [0, 1234.5678, -0.005, 1e21, 999999].map(v => new Intl.NumberFormat('de-DE', {notation: 'engineering'}).format(v)).join(' | '));
  t("c16", () => [0, 1234.5678, -0.005, 1e21, 999999].map(v => new Intl.NumberFormat('sv-SE', {notation: 'scientific'}).format(v)).join(' | '));
  t("c17", () => [0, 1234.5678, -0.005, 1e21, 999999].map(v => new Intl.NumberFormat('sv-SE', {notation: 'engineering'}).format(v)).join(' | '));
  t("c18", () => JSON.stringify(new Intl.NumberFormat('en-US', {notation: 'scientific'}).formatToParts(-0.00123)));
  t("c19", () => (1234.5).toLocaleString('de-AT', {style: 'currency', currency: 'EUR'}));
  t("c20", () => (1234.5).toLocaleString('de-AT'));
  t("c21", () => (d.total_amount * 1000).toLocaleString('en-US', {notation: 'compact', style: 'currency', currency: d.currency || 'USD'}));
  webhook.payload = r;
  return webhook;
}
