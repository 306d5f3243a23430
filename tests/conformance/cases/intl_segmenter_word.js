// @samples payment.succeeded
// Intl.Segmenter words (UAX #29 with ICU's word-like status): punctuation, numbers, apostrophes,
// URLs and e-mail addresses, emoji, Hebrew, Greek, Cyrillic, Korean, Katakana.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const w = (s, loc) => [...new Intl.Segmenter(loc || "en", { granularity: "word" }).segment(s)].map((x) => (x.isWordLike ? "+" : "-") + x.segment);
  const samples = ["Hello, world! It's 3.14 and e.g. U.S.A. don't-stop foo_bar 1,000,000 $5 #tag @user a.b.c",
    "http://example.com/path?q=1&b=2 test@example.com 12:30 2024-01-05 3rd 1st", "naïve café\u0301 Ελληνικά русский עברית ‏مرحبا بالعالم",
    "  \t\n\r\n x  ", "😀 👍🏽 🇺🇸 👨‍👩‍👧 ☕️ © ™ a😀b", "한국어 텍스트 안녕하세요", "カタカナ ｶﾀｶﾅ ー〜", "_ __ a_ _1 a_b 1_000",
    "5% 3.14.15 1,2 a,b a'b a's 'a' \"a\" co-op U.S. .5 a:b a;b ab:12 x² ½ ① ℹ", "א\"ב א' \u05d0\u05b7", "C++ C# .NET Mr.Smith don’t l’homme aujourd'hui Straße İstanbul ﬁ 𝐀𝐁",
    "$1,000.50 -5 +5 1e10 0x1F v1.2.3 1️⃣ #️⃣ ©️ x\u0301y", "Order #12345 shipped to 221B Baker St., London NW1 6XE — ETA 2–3 days."];
  samples.forEach((s, i) => t("w" + i, () => w(s).join(" ")));
  t("fr", () => w("L'été s'annonce chaud, n'est-ce pas ?", "fr").join(" "));
  t("de", () => w("Grüße aus München: 3,5 °C und „Schnee“.", "de").join(" "));
  const text = (webhook.payload.data && JSON.stringify(webhook.payload.data).slice(0, 400)) || "";
  t("wordCount", () => [...new Intl.Segmenter("en", { granularity: "word" }).segment(text)].filter((x) => x.isWordLike).length);
  webhook.payload = r;
  return webhook;
}
