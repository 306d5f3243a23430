function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => '😀'.length);
  t("c1", () => [...'👨‍👩‍👧'].length);
  t("c2", () => 'é'.normalize('NFD').length);
  t("c3", () => 'ﬁ'.toUpperCase());
  t("c4", () => 'İstanbul'.toLowerCase());
  t("c5", () => 'ß'.toUpperCase());
  t("c6", () => 'Ǆ'.toLowerCase());
  t("c7", () => encodeURIComponent('😀 café'));
  t("c8", () => decodeURIComponent('%F0%9F%98%80'));
  t("c9", () => 'abc😀'.split(''));
  t("c10", () => Array.from('abc😀'));
  t("c11", () => 'ＡＢＣ'.normalize('NFKC'));
  t("c12", () => '\u0041\u030A'.normalize());
  t("c13", () => '😀'.codePointAt(0));
  t("c14", () => String.fromCodePoint(0x1F600));
  t("c15", () => 'straße'.localeCompare('strasse'));
  webhook.payload = r;
  return webhook;
}
