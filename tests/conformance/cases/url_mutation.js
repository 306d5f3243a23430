// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => (() => { const u = new URL(webhook.url); u.pathname = '/v1/track'; u.searchParams.set('id', d.payment_id || 'x'); return u.toString(); })());
  t("c1", () => (() => { const u = new URL('https://a.com/?a=1&b=2'); u.searchParams.append('c', '3 4'); u.searchParams.delete('a'); return u.href; })());
  t("c2", () => (() => { const u = new URL('https://a.com/'); u.search = '?x=1'; u.hash = 'top'; return u.href; })());
  t("c3", () => (() => { const u = new URL('https://a.com:8080/'); u.port = '443'; return u.href; })());
  t("c4", () => (() => { const u = new URL('https://a.com/'); u.host = 'b.com:99'; return u.href; })());
  webhook.payload = r;
  return webhook;
}
