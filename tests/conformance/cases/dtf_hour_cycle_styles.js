function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {hour12: false}))).join(' | '));
  t("c1", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {hour12: true}))).join(' | '));
  t("c2", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {timeStyle: 'short', hour12: true}))).join(' | '));
  t("c3", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {timeStyle: 'short', hour12: false}))).join(' | '));
  t("c4", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {dateStyle: 'full', timeStyle: 'short', hour12: false}))).join(' | '));
  t("c5", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {dateStyle: 'long', timeStyle: 'medium', hourCycle: 'h11'}))).join(' | '));
  t("c6", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {dateStyle: 'medium', timeStyle: 'long', hour12: true}))).join(' | '));
  t("c7", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {hour: '2-digit', minute: '2-digit', hour12: false}))).join(' | '));
  t("c8", () => ['en-US', 'en-GB', 'de-DE', 'ja-JP', 'fr-FR', 'zh-CN', 'es-MX', 'pt-BR', 'en-IN', 'en-AU'].map(l => new Date(p.timestamp).toLocaleString(l, Object.assign({timeZone: 'America/New_York'}, {hourCycle: 'h24', hour: 'numeric'}))).join(' | '));
  t("c9", () => new Date('2025-01-05T05:05:09Z').toLocaleTimeString('en-GB', {timeStyle: 'short', hour12: true, timeZone: 'UTC'}));
  t("c10", () => (() => { try { return new Date(p.timestamp).toLocaleTimeString('en-US', {dateStyle: 'short', timeStyle: 'short'}); } catch (e) { return e.name + ': ' + e.message; } })());
  t("c11", () => (() => { try { return new Date(p.timestamp).toLocaleDateString('en-US', {dateStyle: 'short', timeStyle: 'short'}); } catch (e) { return e.name + ': ' + e.message; } })());
  t("c12", () => new Intl.DateTimeFormat('de-DE', {timeStyle: 'short', hour12: true}).resolvedOptions().hourCycle);
  webhook.payload = r;
  return webhook;
}
