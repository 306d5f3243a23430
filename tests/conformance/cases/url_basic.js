// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new URL('https://api.segment.io/v1/track').href);
  t("c1", () => new URL('/v1/identify', 'https://api.segment.io/v1/track').href);
  t("c2", () => new URL('HTTPS://Example.COM:443/a/./b/../c?x=1&y=a b#frag').href);
  t("c3", () => new URL('http://example.com:8080').port);
  t("c4", () => new URL('https://user:pa ss@example.com/').href);
  t("c5", () => JSON.stringify(new URL('https://example.com/p?q=1#h')));
  t("c6", () => (() => { const u = new URL('https://x.io/a'); return [u.protocol, u.host, u.hostname, u.pathname, u.search, u.hash, u.origin]; })());
  t("c7", () => new URL('not a url'));
  t("c8", () => new URL('https://münchen.de/straße').href);
  t("c9", () => new URL('https://example.com/a%20b/ä').pathname);
  t("c10", () => new URL('mailto:a@b.com').pathname);
  t("c11", () => new URL('https://192.168.0.1:8443/').host);
  t("c12", () => String(new URL('https://example.com')));
  t("c13", () => new URL('../x', 'https://a.com/b/c/d').href);
  t("c14", () => new URL('?q=2', 'https://a.com/b?q=1#f').href);
  t("c15", () => new URL('//other.com/p', 'https://a.com/').href);
  t("c16", () => URL.canParse('https://a.com'));
  t("c17", () => URL.canParse('nope'));
  webhook.payload = r;
  return webhook;
}
