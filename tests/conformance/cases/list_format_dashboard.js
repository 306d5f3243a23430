function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Intl.ListFormat('en', {style: 'long', type: 'conjunction'}).format((d.product_cart || []).map(x => x.product_id)));
  t("c1", () => new Intl.ListFormat(undefined, {type: 'disjunction'}).format(['card', 'upi', 'bank transfer']));
  t("c2", () => ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'zh-CN', 'ko-KR', 'it-IT', 'nl-NL', 'sv-SE', 'pl-PL'].map(l => new Intl.ListFormat(l).format(['A', 'B', 'C'])).join(' | '));
  t("c3", () => new Intl.ListFormat('es').format(['agua', 'hielo', 'Iván']));
  t("c4", () => new Intl.ListFormat('es', {type: 'disjunction'}).format(['siete', 'ocho', 'once']));
  t("c5", () => new Intl.ListFormat('en', {style: 'short', type: 'unit'}).format(['5 lb', '12 oz']));
  t("c6", () => new Intl.ListFormat('en', {style: 'narrow', type: 'unit'}).format(['5 lb', '12 oz']));
  t("c7", () => JSON.stringify(new Intl.ListFormat('en-GB').formatToParts(['x', 'y', 'z'])));
  t("c8", () => new Intl.ListFormat('de', {type: 'unit'}).resolvedOptions());
  t("c9", () => new Intl.ListFormat('en').format(new Set(['a', 'b'])));
  t("c10", () => new Intl.ListFormat('en').format([]));
  t("c11", () => new Intl.ListFormat('en').format(['solo']));
  t("c12", () => (() => { try { return new Intl.ListFormat('en').format([1, 2]); } catch (e) { return e.name + ': ' + e.message; } })());
  t("c13", () => (() => { try { return new Intl.ListFormat('en', {type: 'and'}); } catch (e) { return e.name + ': ' + e.message; } })());
  t("c14", () => Object.prototype.toString.call(new Intl.ListFormat()));
  t("c15", () => Intl.ListFormat.supportedLocalesOf(['en-US', 'de']));
  webhook.payload = r;
  return webhook;
}
