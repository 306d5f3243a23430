// @settings {"locale": "de-DE"}
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.ListFormat('en', {style: 'long', type: 'conjunction'}).format((d.product_cart || []).map(x => x.product_id)));
  t("c1", () => new Intl.ListFormat(undefined, {type: 'disjunction'}).format(['card', 'upi', 'bank transfer']));
  t("c2", () => ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'zh-CN', 'ko-KR', 'it-IT', 'nl-NL', 'sv-SE', 'pl-PL'].map(l => new Intl.ListFormat(l).format(['A', 'B', 'C'])).join(' | '));
  webhook.payload = r;
  return webhook;
}
