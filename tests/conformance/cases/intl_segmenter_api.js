// @samples payment.succeeded
// Intl.Segmenter API: segment(), the Segments object (containing, iteration), the iterator,
// resolvedOptions, errors and the objects' shape.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const seg = new Intl.Segmenter("en", { granularity: "word" }).segment("Hello world, again");
  t("containing", () => JSON.stringify([0, 4, 5, 6, 11, 12, 17, 18, -1, "3", 1.7, NaN, Infinity, undefined].map((i) => seg.containing(i))));
  t("iter", () => JSON.stringify([...seg]));
  t("iterTwice", () => [...seg].length + "/" + [...seg].length);
  t("manual", () => { const it = seg[Symbol.iterator](); const a = it.next(), b = it.next(); return JSON.stringify([a, b, Object.keys(a)]); });
  t("done", () => { const it = new Intl.Segmenter().segment("a")[Symbol.iterator](); it.next(); return JSON.stringify([it.next(), it.next()]); });
  t("graphemeKeys", () => JSON.stringify(new Intl.Segmenter().segment("ab").containing(1)));
  t("resolved", () => JSON.stringify([new Intl.Segmenter().resolvedOptions(), new Intl.Segmenter("fr", { granularity: "sentence" }).resolvedOptions(),
    new Intl.Segmenter(["xx", "de-AT"], { granularity: "word" }).resolvedOptions()]));
  t("coerce", () => [String(new Intl.Segmenter().segment({ toString() { return "xy"; } }).containing(1).segment), [...new Intl.Segmenter().segment()].length, [...new Intl.Segmenter().segment(123)].map((x) => x.segment).join()].join());
  const S = Intl.Segmenter;
  for (const [k, f] of Object.entries({
    badGranularity: () => new S("en", { granularity: "line" }), call: () => S(), nullOpts: () => new S("en", null), badMatcher: () => new S("en", { localeMatcher: "x" }),
    recvSegment: () => S.prototype.segment.call({}, "a"), recvContaining: () => Object.getPrototypeOf(new S().segment("ab")).containing.call({}, 0),
    recvNext: () => Object.getPrototypeOf(new S().segment("ab")[Symbol.iterator]()).next.call({}), recvResolved: () => S.prototype.resolvedOptions.call(null),
  })) t("err:" + k, f);
  const segments = new S().segment("ab");
  const sp = Object.getPrototypeOf(segments);
  const it = segments[Symbol.iterator]();
  const ip = Object.getPrototypeOf(it);
  t("shape", () => [typeof S, S.name, S.length, Object.getOwnPropertyNames(S).join(), Object.getOwnPropertyNames(S.prototype).join(),
    S.prototype.segment.length, Object.prototype.toString.call(new S()), Object.prototype.toString.call(segments),
    Object.getOwnPropertyNames(sp).join(), sp.containing.name, sp.containing.length, sp[Symbol.iterator].name,
    Object.getPrototypeOf(sp) === Object.prototype, Object.prototype.toString.call(it), Object.getOwnPropertyNames(ip).join(), ip.next.name,
    ip[Symbol.toStringTag], Object.getPrototypeOf(ip) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
    typeof it[Symbol.iterator], it[Symbol.iterator]() === it, Object.keys(segments).length].join(" "));
  webhook.payload = r;
  return webhook;
}
