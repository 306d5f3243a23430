// @samples payment.succeeded
// Intl.Segmenter sentences (UAX #29, no abbreviation suppression, as V8).
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const s = (text, loc) => [...new Intl.Segmenter(loc || "en", { granularity: "sentence" }).segment(text)].map((x) => x.segment);
  const samples = ["Hello world. How are you? I'm fine! Mr. Smith went to Washington. He said \"Hi.\" Then left... OK.  Next (one.) end",
    "e.g. this is a test. 3.14 is pi. U.S.A. is big. Done.\nNew line\n\nPara", "日本語の文です。次の文！最後？", "Hello.World", "A.B. Cde",
    "Wait... what?! Yes.", "Is it? (yes.) No.", "a.\u00a0B", "One.\u2029Two", "End.)  Next", "x. 1", "Ok!!! Go", "Hmm…   Fine",
    "“Quote.” Next", "1. Item\n2. Item", "No.\u000bNext", "Thanks for your order! Your total is $12.50. Questions? Reply to this e-mail.\r\nBye."];
  samples.forEach((x, i) => t("s" + i, () => s(x).join(" | ")));
  t("de", () => s("Das ist z. B. gut. Oder? Ja!", "de").join(" | "));
  webhook.payload = r;
  return webhook;
}
