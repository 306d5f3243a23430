function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (() => { const days = Math.round((Date.parse(p.timestamp) - Date.parse('2025-01-01T00:00:00Z')) / 864e5); return new Intl.RelativeTimeFormat('en', {numeric: 'auto'}).format(-days, 'day'); })());
  t("c1", () => [-1, 0, 1, 2, -2].map(n => new Intl.RelativeTimeFormat('en', {numeric: 'auto'}).format(n, 'day')).join('|'));
  t("c2", () => [-1, 0, 1].map(n => new Intl.RelativeTimeFormat('de', {numeric: 'auto'}).format(n, 'week')).join('|'));
  t("c3", () => [3, -3].map(n => new Intl.RelativeTimeFormat('fr', {style: 'short'}).format(n, 'month')).join('|'));
  t("c4", () => new Intl.RelativeTimeFormat('es', {numeric: 'auto'}).format(-1, 'year'));
  t("c5", () => new Intl.RelativeTimeFormat('pt-BR').format(5, 'hours'));
  t("c6", () => new Intl.RelativeTimeFormat('ja', {numeric: 'auto'}).format(1, 'day'));
  t("c7", () => new Intl.RelativeTimeFormat(undefined, {style: 'narrow'}).format(-45, 'minute'));
  t("c8", () => new Intl.RelativeTimeFormat('en').format(1.5, 'day'));
  t("c9", () => new Intl.RelativeTimeFormat('en-GB', {numeric: 'auto'}).format(0, 'second'));
  t("c10", () => new Intl.PluralRules('en-US', {type: 'ordinal'}).select(22));
  t("c11", () => [1, 2, 3, 4, 11, 12, 13, 21, 101].map(n => n + ({one: 'st', two: 'nd', few: 'rd', other: 'th'})[new Intl.PluralRules('en', {type: 'ordinal'}).select(n)]).join(' '));
  t("c12", () => new Intl.PluralRules('pl').select(5));
  t("c13", () => new Intl.PluralRules('fr').select(1.5));
  webhook.payload = r;
  return webhook;
}
