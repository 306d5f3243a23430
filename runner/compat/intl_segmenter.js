// Intl.Segmenter: the text segmentation rules of UAX #29 (Unicode 17, ICU 78's version) over the
// character classes of runner/compat/uax29.json: grapheme clusters (emoji ZWJ sequences, flags,
// Hangul, Indic conjuncts), words (with ICU's word-like status) and sentences (the rules, compiled on
// first use: intl_segmenter_rules.js).
// Approximate: ICU segments Chinese, Japanese (kanji, hiragana), Korean syllables and Thai, Lao,
// Khmer, Burmese words with dictionaries; here a run of one of those scripts is one word.

// ---- Intl.Segmenter ------------------------------------------------------------------------------

const segmenterSlots = new WeakMap(), segmentsSlots = new WeakMap(), segIteratorSlots = new WeakMap();
const SegmentsProto = {}, SegmentIteratorProto = Object.create(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));

function receiverText(o) {
  return typeof o === "object" && o !== null ? "#<" + (o.constructor && o.constructor.name || "Object") + ">" : String(o);
}

function Segmenter(locales, options) {
  if (new.target === undefined) throw new TypeError("Constructor Intl.Segmenter requires 'new'");
  const loc = resolveLocale(locales);
  let opts;
  if (options === undefined) opts = Object.create(null);
  else if (typeof options !== "object" || options === null) throw new TypeError("invalid_argument");
  else opts = options;
  const svc = "Intl.Segmenter";
  getStringOption(opts, "localeMatcher", ["lookup", "best fit"], "best fit", svc);
  const granularity = getStringOption(opts, "granularity", ["grapheme", "word", "sentence"], "grapheme", svc);
  const proto = new.target.prototype !== null && typeof new.target.prototype === "object" ? new.target.prototype : Segmenter.prototype;
  const obj = Object.create(proto);
  segmenterSlots.set(obj, { locale: loc.locale, granularity });
  return obj;
}

// Boundaries of a Segments object, computed on first need: [UTF-16 offsets, word-like flags].
function segmentsBoundaries(slot) {
  if (slot.breaks === null) {
    const [cps, offs] = codePoints(slot.string);
    const fn = slot.granularity === "word" ? wordBreaks : slot.granularity === "sentence" ? sentenceBreaks : graphemeBreaks;
    const [breaks, wordLike] = fn(cps);
    slot.breaks = breaks.map((b) => offs[b]);
    slot.wordLike = wordLike;
  }
  return slot;
}

function segmentData(slot, k) {
  const start = slot.breaks[k], end = slot.breaks[k + 1];
  const out = { segment: slot.string.slice(start, end), index: start, input: slot.string };
  if (slot.granularity === "word") out.isWordLike = slot.wordLike[k];
  return out;
}

function installSegmenter(Intl) {
  const proto = Segmenter.prototype;
  const methods = {
    resolvedOptions() {
      const s = segmenterSlots.get(this);
      if (typeof this !== "object" || this === null || s === undefined) {
        throw new TypeError(`Method Intl.Segmenter.prototype.resolvedOptions called on incompatible receiver ${receiverText(this)}`);
      }
      return { locale: s.locale, granularity: s.granularity };
    },
    segment(string) {
      const s = typeof this === "object" && this !== null ? segmenterSlots.get(this) : undefined;
      if (s === undefined) throw new TypeError(`Method Intl.Segmenter.prototype.segment called on incompatible receiver ${receiverText(this)}`);
      const segments = Object.create(SegmentsProto);
      segmentsSlots.set(segments, { string: String(string), granularity: s.granularity, breaks: null, wordLike: null });
      return segments;
    },
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(proto, name, { value: methods[name], writable: true, configurable: true });
  }
  Object.defineProperty(proto, Symbol.toStringTag, { value: "Intl.Segmenter", configurable: true });
  Object.defineProperty(Segmenter, "supportedLocalesOf", { value: supportedLocalesFor(SVC_DTF), writable: true, configurable: true });
  Object.defineProperty(Segmenter, "length", { value: 0, configurable: true });

  const segmentsMethods = {
    containing(index) {
      const slot = typeof this === "object" && this !== null ? segmentsSlots.get(this) : undefined;
      if (slot === undefined) throw new TypeError(`Method %Segments.prototype%.containing called on incompatible receiver ${receiverText(this)}`);
      let n = Number(index);
      n = Number.isNaN(n) ? 0 : Math.trunc(n);
      if (n < 0 || n >= slot.string.length) return undefined;
      segmentsBoundaries(slot);
      let lo = 0, hi = slot.breaks.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (slot.breaks[mid] <= n) lo = mid; else hi = mid - 1;
      }
      return segmentData(slot, lo);
    },
  };
  Object.defineProperty(SegmentsProto, "containing", { value: segmentsMethods.containing, writable: true, configurable: true });
  Object.defineProperty(SegmentsProto, Symbol.iterator, {
    value: { [Symbol.iterator]() {
      const slot = typeof this === "object" && this !== null ? segmentsSlots.get(this) : undefined;
      if (slot === undefined) throw new TypeError(`Method %Segments.prototype%[@@iterator] called on incompatible receiver ${receiverText(this)}`);
      const it = Object.create(SegmentIteratorProto);
      segIteratorSlots.set(it, { slot, k: 0 });
      return it;
    } }[Symbol.iterator],
    writable: true, configurable: true,
  });
  Object.defineProperty(SegmentIteratorProto, "next", {
    value: { next() {
      const st = typeof this === "object" && this !== null ? segIteratorSlots.get(this) : undefined;
      if (st === undefined) throw new TypeError(`Method %SegmentIterator.prototype%.next called on incompatible receiver ${receiverText(this)}`);
      const slot = segmentsBoundaries(st.slot);
      if (st.k + 1 >= slot.breaks.length) return { value: undefined, done: true };
      return { value: segmentData(slot, st.k++), done: false };
    } }.next,
    writable: true, configurable: true,
  });
  Object.defineProperty(SegmentIteratorProto, Symbol.toStringTag, { value: "Segmenter String Iterator", configurable: true });
  Object.defineProperty(Intl, "Segmenter", { value: Segmenter, writable: true, configurable: true });
}
