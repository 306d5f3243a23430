// @samples payment.succeeded
// Intl.Segmenter graphemes: combining marks, emoji ZWJ sequences, skin tones, flags, keycaps,
// Hangul, Indic conjuncts, CR LF; safe truncation of customer names.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const g = (s) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)].map((x) => x.index + ":" + x.segment);
  const samples = ["café", "cafe\u0301", "e\u0301\u0302\u0323", "👨‍👩‍👧‍👦", "👩🏽‍💻", "🏳️‍🌈", "🇺🇸🇬🇧🇫", "1️⃣#️⃣", "👍🏻👍🏿", "❤️‍🔥",
    "\r\n\n\r", "각ᄀᄀ각", "क्षि", "क्‍ष", "ত্র্য", "ஸ்ரீ", "กำ", "ញ៉ាំ", "a\u200db", "\u0600a", "\ud83d", "\udc00a", "🧑🏾‍🤝‍🧑🏻",
    "Ṩ̣̇", "ﾊﾟ", "𝐀𝐁", "\u00ad\u200b", "Zalgo: Z̵̡̢͇͓̻̊̊͠a̷̧͕̐l̶̘̟̒g̷͉̈o̴̢̎"];
  for (const s of samples) t(s, () => g(s).join(" | "));
  const name = (webhook.payload.data && webhook.payload.data.object && webhook.payload.data.object.customer_name) || "Zoë 👩🏽‍💻 Łukasz";
  t("truncate", () => { const parts = [...new Intl.Segmenter().segment(name + " 🇩🇪🇫🇷")].map((x) => x.segment); return [parts.length, parts.slice(0, 5).join(""), name.length].join(" / "); });
  t("count", () => ["👨‍👩‍👧‍👦", "🇺🇸", "é", "e\u0301", "abc", ""].map((s) => [...new Intl.Segmenter().segment(s)].length).join());
  webhook.payload = r;
  return webhook;
}
