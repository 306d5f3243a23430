// @samples payment.succeeded
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => Array.from(new TextEncoder().encode('héllo 😀')));
  t("c1", () => new TextEncoder().encode(d.payment_id || 'x').length);
  t("c2", () => new TextDecoder().decode(new Uint8Array([104, 195, 169, 240, 159, 152, 128])));
  t("c3", () => new TextDecoder().decode(new Uint8Array([0xff, 0x41, 0xc3])));
  t("c4", () => new TextDecoder('utf-8', {fatal:true}).decode(new Uint8Array([0xff])));
  t("c5", () => new TextEncoder().encoding);
  t("c6", () => new TextDecoder().encoding);
  t("c7", () => new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])));
  t("c8", () => JSON.stringify(new TextEncoder().encodeInto('abc', new Uint8Array(2))));
  t("c9", () => new TextDecoder().decode(new TextEncoder().encode('\ud800x')));
  t("c10", () => new TextDecoder().decode());
  t("c11", () => new TextDecoder().decode(new Uint16Array([0x6968]).buffer));
  webhook.payload = r;
  return webhook;
}
