// @lazy
// @imports: intlData, boundedCache
// @exports: codePoints, graphemeBreaks, wordBreaks, sentenceBreaks
// The UAX #29 rules of Intl.Segmenter (see intl_segmenter.js).

const SEG_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const segTables = boundedCache(3);

// {starts: Int32Array, classes: Uint8Array, latin: Uint8Array(256), names} of one property.
function segTable(name) {
  let t = segTables.get(name);
  if (t !== undefined) return t;
  const [names, runs] = intlData().seg[name];
  const dec = Object.create(null);
  for (let i = 0; i < 64; i++) dec[SEG_B64[i]] = i;
  const startsList = [], classList = [];
  let cp = 0;
  for (let i = 0; i < runs.length;) {
    const cls = dec[runs[i++]];
    let x = dec[runs[i++]];
    switch (x & 56) {
      case 32: case 40: x = ((x & 15) << 6) | dec[runs[i++]]; break;
      case 48: x = ((x & 7) << 12) | (dec[runs[i++]] << 6) | dec[runs[i++]]; break;
      case 56: x = ((x & 7) << 18) | (dec[runs[i++]] << 12) | (dec[runs[i++]] << 6) | dec[runs[i++]]; break;
      default: break;
    }
    startsList.push(cp);
    classList.push(cls);
    cp += x + 1;
  }
  const starts = new Int32Array(startsList), classes = new Uint8Array(classList);
  const latin = new Uint8Array(256);
  for (let c = 0; c < 256; c++) latin[c] = lookupClass(starts, classes, c);
  const ids = Object.create(null);
  names.forEach((n, i) => { ids[n] = i; });
  t = { starts, classes, latin, ids };
  return segTables.set(name, t);
}

function lookupClass(starts, classes, cp) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= cp) lo = mid; else hi = mid - 1;
  }
  return classes[lo];
}

function classOf(t, cp) {
  return cp < 256 ? t.latin[cp] : lookupClass(t.starts, t.classes, cp);
}

// Code points of a string with their UTF-16 offsets (lone surrogates stand alone).
function codePoints(s) {
  const cps = [], offs = [];
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    offs.push(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { cps.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000); i += 2; continue; }
    }
    cps.push(c);
    i++;
  }
  offs.push(s.length);
  return [cps, offs];
}

// ---- grapheme clusters (GB rules) -------------------------------------------------------------

function graphemeBreaks(cps) {
  const t = segTable("gcb"), G = t.ids;
  const CR = G.CR, LF = G.LF, CONTROL = G.Control, EXTEND = G.Extend, ZWJ = G.ZWJ, RI = G.Regional_Indicator,
    PREPEND = G.Prepend, SPACING = G.SpacingMark, L = G.L, V = G.V, T = G.T, LV = G.LV, LVT = G.LVT,
    PICT = G.ExtPict, CONS = G.InCB_Consonant, LINKER = G.InCB_Linker, INCB_EXT = G.InCB_Extend;
  const isExtend = (c) => c === EXTEND || c === LINKER || c === INCB_EXT;
  const breaks = [0];
  let prev = -1, ri = 0;
  let pict = 0;   // 1: ExtPict Extend*; 2: ... ZWJ
  let conj = 0;   // 1: Consonant [Extend Linker]*; 2: ... with a Linker
  for (let i = 0; i < cps.length; i++) {
    const c = classOf(t, cps[i]);
    let join;
    if (i === 0) join = false;
    else if (prev === CR && c === LF) join = true;
    else if (prev === CR || prev === LF || prev === CONTROL) join = false;
    else if (c === CR || c === LF || c === CONTROL) join = false;
    else if (prev === L && (c === L || c === V || c === LV || c === LVT)) join = true;
    else if ((prev === LV || prev === V) && (c === V || c === T)) join = true;
    else if ((prev === LVT || prev === T) && c === T) join = true;
    else if (isExtend(c) || c === ZWJ || c === SPACING) join = true;
    else if (prev === PREPEND) join = true;
    else if (c === CONS && conj === 2) join = true;
    else if (c === PICT && pict === 2) join = true;
    else if (prev === RI && c === RI) join = ri % 2 === 1;
    else join = false;
    if (!join && i > 0) breaks.push(i);
    // States for GB9c, GB11 and GB12/13.
    if (c === CONS) conj = 1;
    else if (conj && c === LINKER) conj = 2;
    else if (conj && (c === INCB_EXT || c === ZWJ)) { /* stays */ }
    else conj = 0;
    if (c === PICT) pict = 1;
    else if (pict === 1 && isExtend(c)) pict = 1;
    else if (pict === 1 && c === ZWJ) pict = 2;
    else pict = 0;
    ri = c === RI ? (join ? ri + 1 : 1) : 0;
    prev = c;
  }
  if (cps.length) breaks.push(cps.length);
  return [breaks, null];
}

// ---- words (WB rules, with ICU's word-like status) -------------------------------------------

const DICTIONARY_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const HAN_RE = /\p{Script=Han}/u, HIRAGANA_RE = /\p{Script=Hiragana}/u;

function dictionaryScript(cp) {
  if (cp >= 0xac00 && cp <= 0xd7a3) return 4;  // Hangul syllables: ICU's CJK dictionary set too
  const ch = String.fromCodePoint(cp);
  if (!DICTIONARY_RE.test(ch)) return 0;
  return HAN_RE.test(ch) ? 1 : HIRAGANA_RE.test(ch) ? 2 : 3;
}

function wordBreaks(cps) {
  const t = segTable("wb"), W = t.ids;
  const CR = W.CR, LF = W.LF, NL = W.Newline, EXTEND = W.Extend, ZWJ = W.ZWJ, RI = W.Regional_Indicator,
    FORMAT = W.Format, KATA = W.Katakana, HL = W.Hebrew_Letter, AL = W.ALetter, SQ = W.Single_Quote,
    DQ = W.Double_Quote, MNL = W.MidNumLet, ML = W.MidLetter, MN = W.MidNum, NUM = W.Numeric, ENL = W.ExtendNumLet,
    WSEG = W.WSegSpace, PICT = W.ExtPict;
  const n = cps.length;
  const raw = new Array(n);
  const dict = new Array(n);
  for (let i = 0; i < n; i++) {
    raw[i] = classOf(t, cps[i]);
    dict[i] = cps[i] >= 0x0e00 ? dictionaryScript(cps[i]) : 0;
    if (dict[i]) raw[i] = -1 - dict[i];  // a class of its own per dictionary script
  }
  const ignorable = (c) => c === EXTEND || c === FORMAT || c === ZWJ;
  const isAH = (c) => c === AL || c === HL;
  // The class of the character before position i, skipping WB4 ignorables (X Extend* = X).
  const effective = new Array(n);
  let last = -100;
  for (let i = 0; i < n; i++) {
    if (i > 0 && ignorable(raw[i]) && !(last === CR || last === LF || last === NL)) effective[i] = last;
    else { effective[i] = raw[i]; last = raw[i]; }
  }
  // Next non-ignorable class after position i (for WB6/7b/12 lookahead).
  const nextReal = (i) => { for (let j = i + 1; j < n; j++) if (!ignorable(raw[j])) return raw[j]; return -100; };
  const prevReal = (i) => { for (let j = i - 1; j >= 0; j--) if (!ignorable(raw[j]) || j === 0) return j >= 0 ? effective[j] : -100; return -100; };
  const breaks = [0];
  let riRun = n && raw[0] === RI ? 1 : 0;  // regional indicators in a row before position i
  for (let i = 1; i < n; i++) {
    const a = raw[i - 1], b = raw[i];
    const A = effective[i - 1];
    let join;
    if (a === CR && b === LF) join = true;
    else if (a === CR || a === LF || a === NL) join = false;
    else if (b === CR || b === LF || b === NL) join = false;
    else if (a === ZWJ && b === PICT) join = true;
    else if (a === WSEG && b === WSEG) join = true;
    else if (ignorable(b)) join = true;
    else {
      // Previous-before-previous real class, for WB7/7c/11.
      let k = i - 1;
      while (k > 0 && ignorable(raw[k])) k--;
      const A2 = k > 0 ? prevReal(k) : -100;
      const B2 = nextReal(i);
      if (isAH(A) && isAH(b)) join = true;                                              // WB5
      else if (isAH(A) && (b === ML || b === MNL || b === SQ) && isAH(B2)) join = true;  // WB6
      else if (isAH(A2) && (A === ML || A === MNL || A === SQ) && isAH(b)) join = true;  // WB7
      else if (A === HL && b === SQ) join = true;                                       // WB7a
      else if (A === HL && b === DQ && B2 === HL) join = true;                          // WB7b
      else if (A2 === HL && A === DQ && b === HL) join = true;                          // WB7c
      else if (A === NUM && b === NUM) join = true;                                     // WB8
      else if (isAH(A) && b === NUM) join = true;                                       // WB9
      else if (A === NUM && isAH(b)) join = true;                                       // WB10
      else if (A2 === NUM && (A === MN || A === MNL || A === SQ) && b === NUM) join = true;  // WB11
      else if (A === NUM && (b === MN || b === MNL || b === SQ) && B2 === NUM) join = true;  // WB12
      else if (A === KATA && b === KATA) join = true;                                   // WB13
      else if ((isAH(A) || A === NUM || A === KATA || A === ENL) && b === ENL) join = true;  // WB13a
      else if (A === ENL && (isAH(b) || b === NUM || b === KATA)) join = true;          // WB13b
      else if (A === RI && b === RI) join = riRun % 2 === 1;                            // WB15/16
      else if (A < -1 && A === b) join = true;  // a run of one dictionary script
      else join = false;
    }
    if (!join) breaks.push(i);
    if (!ignorable(b)) riRun = b === RI ? (join && A === RI ? riRun + 1 : 1) : 0;
  }
  if (n) breaks.push(n);
  // Word-like, as ICU's rule status of the segment's last rule makes it: a segment ending in a
  // letter, digit or katakana (and their combining marks); one ending in a dictionary character
  // or an ExtendNumLet after something ("__", "a_"), unless combining marks follow it.
  const wordLike = [];
  for (let s = 0; s + 1 < breaks.length; s++) {
    let j = breaks[s + 1] - 1;
    while (j > breaks[s] && ignorable(raw[j])) j--;
    const c = raw[j], trailing = j < breaks[s + 1] - 1;
    let k = j - 1;
    while (k > breaks[s] && ignorable(raw[k])) k--;
    const hebrewQuote = c === SQ && j > breaks[s] && raw[k] === HL;  // WB7a: "א'"
    wordLike.push(isAH(c) || c === NUM || c === KATA || hebrewQuote || (!trailing && (c < -1 || (c === ENL && j > breaks[s]))));
  }
  return [breaks, wordLike];
}

// ---- sentences (SB rules) --------------------------------------------------------------------

function sentenceBreaks(cps) {
  const t = segTable("sb"), S = t.ids;
  const CR = S.CR, LF = S.LF, EXTEND = S.Extend, SEP = S.Sep, FORMAT = S.Format, SP = S.Sp, LOWER = S.Lower,
    UPPER = S.Upper, OLETTER = S.OLetter, NUM = S.Numeric, ATERM = S.ATerm, SCONT = S.SContinue, STERM = S.STerm,
    CLOSE = S.Close;
  const paraSep = (c) => c === SEP || c === CR || c === LF;
  // SB5: Extend and Format belong to the character before them (not after a paragraph
  // separator): the rules then see one item per real character.
  const cls = [], at = [];
  for (let i = 0; i < cps.length; i++) {
    const c = classOf(t, cps[i]);
    if ((c === EXTEND || c === FORMAT) && cls.length && !paraSep(cls[cls.length - 1])) continue;
    cls.push(c);
    at.push(i);
  }
  const m = cls.length;
  const breaks = [0];
  for (let k = 0; k + 1 < m; k++) {
    const a = cls[k], b = cls[k + 1];
    let brk;
    if (a === CR && b === LF) brk = false;                                         // SB3
    else if (paraSep(a)) brk = true;                                              // SB4
    else if (a === ATERM && b === NUM) brk = false;                               // SB6
    else if (a === ATERM && b === UPPER && k > 0 && (cls[k - 1] === UPPER || cls[k - 1] === LOWER)) brk = false;  // SB7
    else {
      // SATerm Close* Sp* ending at item k?
      let j = k, sp = false;
      while (j >= 0 && cls[j] === SP) { j--; sp = true; }
      while (j >= 0 && cls[j] === CLOSE) j--;
      if (j < 0 || (cls[j] !== ATERM && cls[j] !== STERM)) brk = false;            // SB998
      else {
        brk = true;                                                                // SB11
        if (cls[j] === ATERM) {
          // SB8: ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower
          for (let q = k + 1; q < m; q++) {
            const c = cls[q];
            if (c === LOWER) { brk = false; break; }
            if (c === OLETTER || c === UPPER || paraSep(c) || c === ATERM || c === STERM) break;
          }
        }
        if (b === SCONT || b === ATERM || b === STERM) brk = false;                // SB8a
        else if (!sp && b === CLOSE) brk = false;                                  // SB9
        else if (b === SP || paraSep(b)) brk = false;                              // SB9, SB10
      }
    }
    if (brk) breaks.push(at[k + 1]);
  }
  if (cps.length) breaks.push(cps.length);
  return [breaks, null];
}

