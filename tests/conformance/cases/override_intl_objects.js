// @samples payment.succeeded
// Instances of Intl formatters and other compat-layer built-ins: overrides by assignment.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  t("nf_format_accessor", () => { const nf = new Intl.NumberFormat("en-US"); nf.format = () => "mine"; return nf.format(1234.5); });
  t("nf_formatToParts", () => { const nf = new Intl.NumberFormat("en-US"); nf.formatToParts = () => [{ type: "literal", value: "p" }]; return nf.formatToParts(1)[0].value; });
  t("nf_resolvedOptions", () => { const nf = new Intl.NumberFormat("de-DE"); nf.resolvedOptions = () => ({ locale: "xx" }); return nf.resolvedOptions().locale; });
  t("dtf_formatToParts", () => { const f = new Intl.DateTimeFormat("en-US"); f.formatToParts = () => []; return f.formatToParts(0).length; });
  t("dtf_toString", () => { const f = new Intl.DateTimeFormat("en-US"); f.toString = () => "dtf"; return String(f); });
  t("collator_compare", () => { const c = new Intl.Collator("en"); c.compare = () => 0; return typeof c.compare; });
  t("plural_select", () => { const p = new Intl.PluralRules("en-US"); p.select = () => "many"; return p.select(1); });
  t("list_format", () => { const l = new Intl.ListFormat("en"); l.format = () => "listed"; return l.format(["a"]); });
  t("rtf_format", () => { const f = new Intl.RelativeTimeFormat("en"); f.format = () => "rel"; return f.format(1, "day"); });
  t("url_toString", () => { const u = new URL("https://example.com/a?b=1"); u.toString = () => "url!"; return String(u) + " " + u.href; });
  t("url_href_setter", () => { const u = new URL("https://example.com/a"); u.href = "https://example.org/b"; return u.host; });
  t("params_get", () => { const s = new URLSearchParams("a=1"); s.get = () => "own"; return s.get("a") + " " + s.has("a"); });
  t("params_iterator", () => { const s = new URLSearchParams("a=1&b=2"); s[Symbol.iterator] = function* () { yield ["z", "26"]; }; return [...s].join(";"); });
  t("text_encoder", () => { const e = new TextEncoder(); e.encode = () => "enc"; return e.encode("x"); });
  t("date_toLocaleString", () => { const d = new Date(0); d.toLocaleString = () => "local!"; return d.toLocaleString() + " " + [d].toLocaleString(); });
  t("number_toLocaleString", () => { const n = new Number(1234); n.toLocaleString = () => "n!"; return n.toLocaleString() + " " + [n].toLocaleString(); });
  t("dom_exception", () => { const e = new DOMException("m", "AbortError"); e.toString = () => "dom!"; return String(e); });
  console.log(r.nf_format_accessor);
  webhook.payload = r;
  return webhook;
}
