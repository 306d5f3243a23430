// Where a handler's error happened, and how V8 would word and place it.
//
// QuickJS says little about a failed operation ("not a function") and places it by its own
// rules; V8 names the expression ("o.f(...).g is not a function") and places the error at the
// failing member, call or operator. Both follow from the source: this file parses the handler
// (a small, bounded JavaScript parser), finds the operation QuickJS stopped at, and reproduces
// what V8 reports for it:
//
//   * QuickJS records a source position (line, column) only at certain points while it compiles:
//     identifier reads, the token after a call's `(`, the token after a binary operator, the
//     start of an expression statement, ... Its column is the column of the last "mark" (the
//     last identifier start or the end of the last whitespace), in UTF-8 bytes. An operation
//     reports the last position recorded before it in bytecode order. `quickjsWalk` replays that
//     compilation order and gives every operation (member read, call, store, ...) its QuickJS
//     anchor, so the reported position and the error's kind single out the operation.
//   * V8 attaches statement positions and expression positions to bytecodes with its own rules
//     (a statement position goes to the next bytecode; an expression position to the next one
//     that can throw, and is ignored while a statement position waits). `v8Walk` replays V8's
//     bytecode generation for the same function and gives every operation the position V8
//     reports for it (the stack frame's column).
//   * V8 words many errors with its CallPrinter: it searches the function for the expression at
//     the error position and prints it (`a.b(...).c`, `(intermediate value)`). `printCall` is
//     that printer over this parser's tree.
//
// Safety: the parse is linear in the source, bounded in size and nesting, and never runs
// handler code: it reads the source text only, through the built-ins `P` the runtime captured
// when it loaded (this file is compiled later, when the first error is formatted, by which time
// a handler with open built-ins may have replaced some), and runs only while the few it calls
// directly are still those. Any failure yields no answer, and the caller keeps QuickJS's own
// words and position.
//
// The file evaluates to a function of those built-ins; it returns { describe }.
(function (P) {
  "use strict";
  const apply = P.apply;
  const charCodeAt = P.charCodeAt;
  const stringSlice = P.slice;
  const fromCharCode = P.fromCharCode;
  const parseFloatFn = P.parseFloat;
  const parseIntFn = P.parseInt;
  const StringCtor = P.String;
  const MapCtor = P.Map;
  const mapGet = P.mapGet;
  const mapSet = P.mapSet;
  const mapClear = P.mapClear;
  const mapSize = P.mapSize;
  const regexpExec = P.exec;
  const RegExpCtor = P.RegExp;
  const ownKeys = P.ownKeys;
  const ArrayProto = P.ArrayPrototype, ObjectProto = P.ObjectPrototype, StringProto = P.StringPrototype;
  // Compiled on first use (a Unicode property class is slow to compile, and rarely needed).
  let ID_START = null, ID_CONTINUE = null;
  const SPACE = /\s/;
  function idStart() { if (ID_START === null) ID_START = new RegExpCtor("\\p{ID_Start}", "u"); return ID_START; }
  function idContinue() { if (ID_CONTINUE === null) ID_CONTINUE = new RegExpCtor("[\\p{ID_Continue}\\u200c\\u200d]", "u"); return ID_CONTINUE; }

  // Bounds on the work of one analysis (it runs while an error is formatted, where the time
  // limit cannot stop it): a source up to FULL_PARSE characters is parsed whole (once per
  // event); a larger one in a window around the error, of at most MAX_TOKENS tokens.
  const MAX_SOURCE = 16 * 1024 * 1024;
  const FULL_PARSE = 16 * 1024;
  const WINDOW_CHARS = 16 * 1024;
  const MAX_DEPTH = 160;           // nesting of the parse (and so of the walks)
  const MAX_TOKENS = 6000;

  function Bail() {}
  const BAIL = new Bail();
  function bail() { throw BAIL; }

  function mk(t, s) { return { __proto__: null, t, s, e: s }; }

  // ---- characters -------------------------------------------------------------------------
  function isIdStartCode(c) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95;
  }
  function isIdPartCode(c) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95;
  }
  function isDigit(c) { return c >= 48 && c <= 57; }
  function uniTest(re, ch) { return apply(regexpExec, re, [ch]) !== null; }

  const KEYWORDS = { __proto__: null, break: 1, case: 1, catch: 1, class: 1, const: 1, continue: 1, debugger: 1,
    default: 1, delete: 1, do: 1, else: 1, enum: 1, export: 1, extends: 1, false: 1, finally: 1, for: 1,
    function: 1, if: 1, import: 1, in: 1, instanceof: 1, new: 1, null: 1, return: 1, super: 1, switch: 1,
    this: 1, throw: 1, true: 1, try: 1, typeof: 1, var: 1, void: 1, while: 1, with: 1 };

  // Binary operators: precedence (higher binds tighter).
  const BINARY = { __proto__: null, "??": 1, "||": 2, "&&": 3, "|": 4, "^": 5, "&": 6, "==": 7, "!=": 7, "===": 7,
    "!==": 7, "<": 8, ">": 8, "<=": 8, ">=": 8, instanceof: 8, in: 8, "<<": 9, ">>": 9, ">>>": 9, "+": 10, "-": 10,
    "*": 11, "/": 11, "%": 11, "**": 12 };
  const ASSIGN = { __proto__: null, "=": 1, "+=": 1, "-=": 1, "*=": 1, "/=": 1, "%=": 1, "**=": 1, "<<=": 1, ">>=": 1,
    ">>>=": 1, "&=": 1, "|=": 1, "^=": 1, "&&=": 1, "||=": 1, "??=": 1 };
  const PUNCT4 = { __proto__: null, ">>>=": 1 };
  const PUNCT3 = { __proto__: null, "===": 1, "!==": 1, "**=": 1, "<<=": 1, ">>=": 1, ">>>": 1, "...": 1, "&&=": 1,
    "||=": 1, "??=": 1 };
  const PUNCT2 = { __proto__: null, "=>": 1, "==": 1, "!=": 1, "<=": 1, ">=": 1, "&&": 1, "||": 1, "??": 1, "?.": 1,
    "++": 1, "--": 1, "+=": 1, "-=": 1, "*=": 1, "/=": 1, "%=": 1, "&=": 1, "|=": 1, "^=": 1, "**": 1, "<<": 1,
    ">>": 1 };

  const SINGLE = [];
  for (let i = 0; i < 128; i++) SINGLE[i] = fromCharCode(i);

  // ---- the parser ---------------------------------------------------------------------------
  // Tokens: type T_* with value, start, end, newline-before, and QuickJS's view of the token's
  // position: its line at the start and its "mark" (see above) with the newline before the mark.
  const T_EOF = 0, T_NAME = 1, T_NUM = 2, T_STR = 3, T_TPL = 4, T_REGEX = 5, T_PUNCT = 6, T_PRIV = 7;

  // lex: instead of a tree, the tokens ({t, v, s, e, nl}, regular expressions and templates
  // told apart by the token before them) and the line starts.
  // win ({from, line, until}): parse from index `from` (a line start, line `line`) the statements
  // up to the one around index `until`: a window of a large source.
  function parse(src, lex, win) {
    const n = src.length;
    const from = win === undefined ? 0 : win.from;
    let pos = from;
    let line = win === undefined ? 1 : win.line;
    let lineStart = from;    // index of the first character of the current line
    let mark = from;         // QuickJS's mark
    let markEol = from - 1;  // index of the newline before the mark (-1: start of source)
    const lineStarts = [from];
    let depth = 0;
    let tokens = 0;

    // current token
    let tt = T_EOF, tv = "", ts = 0, te = 0, tnl = false, tline = 1, tmk = 0, tmkEol = -1, tesc = false;
    let tnum = 0;            // numeric value of a T_NUM
    let tbig = false;
    // previous token
    let pt = T_EOF, pv = "", ps = 0, pe = 0;

    function cc(i) { return i < n ? src.charCodeAt(i) : -1; }
    function slice(a, b) { return src.slice(a, b); }

    function newline(i) {
      // i: index just past the line terminator
      line++;
      lineStart = i;
      lineStarts[lineStarts.length] = i;
    }

    function skipSpace() {
      tnl = false;
      for (;;) {
        const c = src.charCodeAt(pos);
        if (c === 32 || c === 9) {
          pos++;
          while (src.charCodeAt(pos) === 32) pos++;
          mark = pos; markEol = lineStart - 1;
          continue;
        }
        if (c === 10) { pos++; newline(pos); mark = pos; markEol = pos - 1; tnl = true; continue; }
        if (c > 47 || c !== c) return;   // the common case: a token starts here (or the end)
        if (c === 11 || c === 12) { pos++; mark = pos; markEol = lineStart - 1; continue; }
        if (c === 13) {
          pos++;
          if (src.charCodeAt(pos) === 10) pos++;
          newline(pos); mark = pos; markEol = pos - 1; tnl = true; continue;
        }
        if (c === 47) {
          const d = src.charCodeAt(pos + 1);
          if (d === 47) {
            pos += 2;
            for (;;) {
              const e = src.charCodeAt(pos);
              if (e !== e || e === 10 || e === 13 || e === 0x2028 || e === 0x2029) break;
              pos++;
            }
            mark = pos; markEol = lineStart - 1;
            continue;
          }
          if (d === 42) {
            pos += 2;
            for (;;) {
              const e = src.charCodeAt(pos);
              if (e !== e) bail();
              pos++;
              if (e === 42) { if (src.charCodeAt(pos) === 47) { pos++; break; } continue; }
              if (e === 10 || e === 0x2028 || e === 0x2029 || (e === 13 && src.charCodeAt(pos) !== 10)) {
                newline(pos); mark = pos; markEol = pos - 1; tnl = true;
              }
            }
            mark = pos; markEol = lineStart - 1;
            continue;
          }
        }
        return;
      }
    }

    // Non-ASCII space and line terminators (rare: checked after a token-start test fails).
    function skipSpaceSlow() {
      const c = cc(pos);
      if (c === 0x2028 || c === 0x2029) { pos++; newline(pos); mark = pos; markEol = pos - 1; tnl = true; return true; }
      if (c >= 128 && (c === 0xa0 || c === 0xfeff || uniTest(SPACE, fromCharCode(c)))) {
        pos++; mark = pos; markEol = lineStart - 1; return true;
      }
      return false;
    }

    function readName() {
      // at an identifier start (possibly \u escape or non-ASCII)
      const start = pos;
      let c = src.charCodeAt(pos);
      while ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95) c = src.charCodeAt(++pos);
      if (c !== 92 && !(c >= 128)) {
        if (pos === start) bail();
        tesc = false;
        return src.slice(start, pos);
      }
      return readNameSlow(start);
    }

    function readNameSlow(start) {
      let esc = false;
      for (;;) {
        const c = cc(pos);
        if (c === -1) break;
        if (c < 128) {
          if (isIdPartCode(c)) { pos++; continue; }
          if (c === 92) {
            esc = true;
            if (cc(pos + 1) !== 117) bail();
            pos += 2;
            if (cc(pos) === 123) { while (cc(pos) !== 125) { if (cc(pos) === -1) bail(); pos++; } pos++; } else pos += 4;
            continue;
          }
          break;
        }
        if (c >= 0xd800 && c <= 0xdbff) {
          const ch = slice(pos, pos + 2);
          if (pos === start ? uniTest(idStart(), ch) : uniTest(idContinue(), ch)) { pos += 2; continue; }
          break;
        }
        const ch = fromCharCode(c);
        if (pos === start ? uniTest(idStart(), ch) : uniTest(idContinue(), ch)) { pos++; continue; }
        break;
      }
      if (pos === start) bail();
      tesc = esc;
      return esc ? decodeName(slice(start, pos)) : slice(start, pos);
    }

    function decodeName(raw) {
      let out = "";
      for (let i = 0; i < raw.length;) {
        const c = apply(charCodeAt, raw, [i]);
        if (c === 92) {
          i += 2;
          let hex = "";
          if (apply(charCodeAt, raw, [i]) === 123) {
            i++;
            while (apply(charCodeAt, raw, [i]) !== 125) { hex += fromCharCode(apply(charCodeAt, raw, [i])); i++; }
            i++;
          } else { hex = apply(stringSlice, raw, [i, i + 4]); i += 4; }
          const code = parseIntFn(hex, 16);
          out += code > 0xffff ? fromCharCode(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)) : fromCharCode(code);
        } else { out += fromCharCode(c); i++; }
      }
      return out;
    }

    function readString(q) {
      pos++;
      let out = "";
      let chunk = pos;
      for (;;) {
        const c = cc(pos);
        if (c === -1 || c === 10 || c === 13) bail();
        if (c === q) { out += slice(chunk, pos); pos++; return out; }
        if (c === 92) {
          out += slice(chunk, pos);
          pos++;
          const d = cc(pos);
          pos++;
          if (d === 110) out += "\n";
          else if (d === 116) out += "\t";
          else if (d === 114) out += "\r";
          else if (d === 98) out += "\b";
          else if (d === 102) out += "\f";
          else if (d === 118) out += "\v";
          else if (d === 48 && !isDigit(cc(pos))) out += "\0";
          else if (d === 120) { out += fromCharCode(parseIntFn(slice(pos, pos + 2), 16)); pos += 2; }
          else if (d === 117) {
            let hex;
            if (cc(pos) === 123) { const close = indexOfChar(125, pos); hex = slice(pos + 1, close); pos = close + 1; } else { hex = slice(pos, pos + 4); pos += 4; }
            const code = parseIntFn(hex, 16);
            out += code > 0xffff ? fromCharCode(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)) : fromCharCode(code);
          } else if (d === 13) { if (cc(pos) === 10) pos++; newline(pos); mark = pos; markEol = pos - 1; }
          else if (d === 10 || d === 0x2028 || d === 0x2029) { newline(pos); mark = pos; markEol = pos - 1; }
          else if (d >= 48 && d <= 55) {
            // legacy octal escape
            let v = d - 48;
            if (cc(pos) >= 48 && cc(pos) <= 55) { v = v * 8 + cc(pos) - 48; pos++; if (d <= 51 && cc(pos) >= 48 && cc(pos) <= 55) { v = v * 8 + cc(pos) - 48; pos++; } }
            out += fromCharCode(v);
          } else if (d === -1) bail();
          else out += fromCharCode(d);
          chunk = pos;
          continue;
        }
        pos++;
      }
    }

    function indexOfChar(code, from) {
      for (let i = from; i < n; i++) if (cc(i) === code) return i;
      bail();
    }

    // A template chunk from the character after ` or }: its cooked text (null when it has an
    // invalid escape) and whether it ends the template.
    function readTemplateChunk() {
      let out = "";
      let chunk = pos;
      for (;;) {
        const c = cc(pos);
        if (c === -1) bail();
        if (c === 96) { out += slice(chunk, pos); pos++; return { __proto__: null, text: out, tail: true }; }
        if (c === 36 && cc(pos + 1) === 123) { out += slice(chunk, pos); pos += 2; return { __proto__: null, text: out, tail: false }; }
        if (c === 92) {
          out += slice(chunk, pos);
          pos++;
          const d = cc(pos);
          pos++;
          if (d === 110) out += "\n";
          else if (d === 116) out += "\t";
          else if (d === 114) out += "\r";
          else if (d === 117 || d === 120) {
            // keep it simple: decode when well formed
            let hex;
            if (d === 120) { hex = slice(pos, pos + 2); pos += 2; }
            else if (cc(pos) === 123) { const close = indexOfChar(125, pos); hex = slice(pos + 1, close); pos = close + 1; }
            else { hex = slice(pos, pos + 4); pos += 4; }
            const code = parseIntFn(hex, 16);
            out += code > 0xffff ? fromCharCode(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)) : fromCharCode(code);
          } else if (d === 13) { if (cc(pos) === 10) pos++; newline(pos); mark = pos; markEol = pos - 1; }
          else if (d === 10 || d === 0x2028 || d === 0x2029) { newline(pos); mark = pos; markEol = pos - 1; }
          else if (d === -1) bail();
          else out += fromCharCode(d);
          chunk = pos;
          continue;
        }
        pos++;
        if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && cc(pos) !== 10)) {
          newline(pos); mark = pos; markEol = pos - 1;
        }
      }
    }

    function readNumber() {
      const start = pos;
      const c = cc(pos);
      tbig = false;
      if (c === 48 && (cc(pos + 1) | 32) === 120) { pos += 2; while (isHex(cc(pos)) || cc(pos) === 95) pos++; }
      else if (c === 48 && (cc(pos + 1) | 32) === 111) { pos += 2; while ((cc(pos) >= 48 && cc(pos) <= 55) || cc(pos) === 95) pos++; }
      else if (c === 48 && (cc(pos + 1) | 32) === 98) { pos += 2; while (cc(pos) === 48 || cc(pos) === 49 || cc(pos) === 95) pos++; }
      else {
        while (isDigit(cc(pos)) || cc(pos) === 95) pos++;
        if (cc(pos) === 46) { pos++; while (isDigit(cc(pos)) || cc(pos) === 95) pos++; }
        if ((cc(pos) | 32) === 101) {
          pos++;
          if (cc(pos) === 43 || cc(pos) === 45) pos++;
          while (isDigit(cc(pos)) || cc(pos) === 95) pos++;
        }
      }
      if (cc(pos) === 110) { pos++; tbig = true; }
      let raw = "";
      for (let i = start; i < pos; i++) { const d = cc(i); if (d !== 95 && d !== 110) raw += fromCharCode(d); }
      if (tbig) tnum = 0;
      else if (raw.length > 1 && apply(charCodeAt, raw, [0]) === 48 && ((apply(charCodeAt, raw, [1]) | 32) === 120 || (apply(charCodeAt, raw, [1]) | 32) === 111 || (apply(charCodeAt, raw, [1]) | 32) === 98)) {
        const radix = (apply(charCodeAt, raw, [1]) | 32) === 120 ? 16 : (apply(charCodeAt, raw, [1]) | 32) === 111 ? 8 : 2;
        tnum = parseIntFn(apply(stringSlice, raw, [2]), radix);
      } else if (raw.length > 1 && apply(charCodeAt, raw, [0]) === 48 && isDigit(apply(charCodeAt, raw, [1])) && legacyOctal(raw)) {
        tnum = parseIntFn(raw, 8);  // legacy octal
      } else tnum = parseFloatFn(raw);
      if (isIdPartCode(cc(pos))) bail();
    }
    function legacyOctal(raw) {
      for (let i = 0; i < raw.length; i++) { const d = apply(charCodeAt, raw, [i]); if (d === 56 || d === 57 || d === 46 || d === 101 || d === 69) return false; }
      return true;
    }
    function isHex(c) { return isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102); }

    // Reads the next token into tt/tv/ts/te.
    function next() {
      pt = tt; pv = tv; ps = ts; pe = te;
      if (++tokens > MAX_TOKENS) bail();
      skipSpace();
      while (src.charCodeAt(pos) >= 128 && skipSpaceSlow()) skipSpace();
      ts = pos;
      tline = line;
      tesc = false;
      const c = cc(pos);
      if (c === -1) { tt = T_EOF; tv = ""; te = pos; tmk = mark; tmkEol = markEol; return; }
      if (isIdStartCode(c)) {
        mark = pos; markEol = lineStart - 1;
        tv = readName(); tt = T_NAME;
      } else if (c === 92 || (c >= 128 && (uniTest(idStart(), fromCharCode(c)) || (c >= 0xd800 && c <= 0xdbff)))) {
        tv = readName(); tt = T_NAME;
      } else if (isDigit(c) || (c === 46 && isDigit(cc(pos + 1)))) {
        readNumber(); tt = T_NUM; tv = slice(ts, pos);
      } else if (c === 34 || c === 39) {
        tv = readString(c); tt = T_STR;
      } else if (c === 96) {
        pos++;
        tt = T_TPL; tv = "`";
      } else if (c === 35) {
        pos++;
        const name = readName();
        tt = T_PRIV; tv = "#" + name;
      } else {
        tt = T_PUNCT;
        const d = cc(pos + 1);
        // single characters that never start a longer punctuator
        if (c === 40 || c === 41 || c === 123 || c === 125 || c === 91 || c === 93 || c === 59 || c === 44 || c === 58 || c === 126 ||
            (c === 46 && d !== 46) || (c === 61 && d !== 61 && d !== 62) || (c === 63 && d !== 63 && d !== 46)) {
          tv = SINGLE[c]; pos++;
        } else {
          const s4 = slice(pos, pos + 4), s3 = slice(pos, pos + 3), s2 = slice(pos, pos + 2);
          if (PUNCT4[s4]) { tv = s4; pos += 4; }
          else if (PUNCT3[s3]) { tv = s3; pos += 3; }
          else if (PUNCT2[s2] && !(s2 === "?." && isDigit(cc(pos + 2)))) { tv = s2; pos += 2; }
          else { tv = fromCharCode(c); pos++; }
        }
      }
      te = pos;
      tmk = mark; tmkEol = markEol;
    }

    // The current `/` or `/=` token read again as a regular expression.
    function rescanRegex() {
      pos = ts + 1;
      let inClass = false;
      for (;;) {
        const c = cc(pos);
        if (c === -1 || c === 10 || c === 13) bail();
        pos++;
        if (c === 92) { pos++; continue; }
        if (c === 91) inClass = true;
        else if (c === 93) inClass = false;
        else if (c === 47 && !inClass) break;
      }
      const bodyEnd = pos - 1;
      while (isIdPartCode(cc(pos))) pos++;
      tt = T_REGEX;
      tv = slice(ts + 1, bodyEnd);
      te = pos;
      return slice(bodyEnd + 1, pos);
    }

    function isP(v) { return tt === T_PUNCT && tv === v; }
    function isN(v) { return tt === T_NAME && tv === v && !tesc; }
    function eat(v) { if (tt === T_PUNCT && tv === v) { next(); return true; } return false; }
    function expect(v) { if (tt !== T_PUNCT || tv !== v) bail(); next(); }
    function expectName(v) { if (!isN(v)) bail(); next(); }
    function semicolon() {
      if (isP(";")) { next(); return; }
      if (isP("}") || tt === T_EOF || tnl) return;
      bail();
    }
    function enter() { if (++depth > MAX_DEPTH) bail(); }
    function leave() { depth--; }
    function qpos() { return { __proto__: null, line: tline, mk: tmk, eol: tmkEol }; }

    // ---- scopes (for V8: a variable's kind of load) -----------------------------------------
    let fn = null;           // the function node being parsed (null: the script)
    const script = mk("Script", 0);
    script.decls = new MapCtor();
    script.parentFn = null;
    script.fns = [];
    let scopeOwner = script;
    // A declared name: its kind and where its declaration ends (V8 checks a let/const read
    // before that point, or from a closure, for the temporal dead zone).
    function declare(name, kind, end, init) {
      if (apply(mapGet, scopeOwner.decls, [name]) === undefined) {
        apply(mapSet, scopeOwner.decls, [name, { __proto__: null, kind, end, init: init === undefined ? null : init }]);
      }
    }
    function declarePattern(p, kind, end) {
      if (p === null) return;
      switch (p.t) {
        case "Id": declare(p.name, kind, end); break;
        case "Assign": declarePattern(p.target, kind, end); break;
        case "Spread": declarePattern(p.arg, kind, end); break;
        case "Arr": for (let i = 0; i < p.elems.length; i++) declarePattern(p.elems[i], kind, end); break;
        case "Obj": for (let i = 0; i < p.props.length; i++) declarePattern(p.props[i].value, kind, end); break;
        default: break;
      }
    }
    function nameFunction(value, name) {
      if (value !== null && (value.t === "Fn" || value.t === "Class") && !value.paren && value.name === null && value.inferred === undefined) value.inferred = name;
    }

    // ---- expressions ------------------------------------------------------------------------
    function parseExpression(noIn) {
      const first = parseAssign(noIn);
      if (!isP(",")) return first;
      const seq = mk("Seq", first.s);
      seq.exprs = [first];
      seq.ops = [];
      while (isP(",")) {
        seq.ops[seq.ops.length] = ts;
        next();
        seq.exprs[seq.exprs.length] = parseAssign(noIn);
      }
      seq.e = pe;
      return seq;
    }

    function regexAllowedAfter() {
      // for skipping only: after these a `/` starts a regular expression
      if (pt === T_NUM || pt === T_STR || pt === T_REGEX || pt === T_TPL || pt === T_PRIV) return false;
      if (pt === T_NAME) return KEYWORDS[pv] === 1 && pv !== "this" && pv !== "super" && pv !== "null" && pv !== "true" && pv !== "false";
      if (pt === T_PUNCT) return pv !== ")" && pv !== "]" && pv !== "}";
      return true;
    }
    function skipTemplate() {
      // at a ` token: skip to the end of the template (nested ones included)
      for (;;) {
        const chunk = readTemplateChunk();
        if (chunk.tail) { te = pos; next(); return; }
        next();
        let d = 0;
        for (;;) {
          if (tt === T_EOF) bail();
          if (tt === T_TPL) { skipTemplate(); continue; }
          if (tt === T_PUNCT && tv === "{") d++;
          else if (tt === T_PUNCT && tv === "}") { if (d === 0) break; d--; }
          next();
        }
        pos = ts + 1;
      }
    }
    function saveState() {
      return { __proto__: null, pos, line, lineStart, mark, markEol, lsl: lineStarts.length, tt, tv, ts, te, tnl, tline, tmk, tmkEol,
        tesc, tnum, tbig, pt, pv, ps, pe, tokens };
    }
    function restoreState(s) {
      pos = s.pos; line = s.line; lineStart = s.lineStart; mark = s.mark; markEol = s.markEol; lineStarts.length = s.lsl;
      tt = s.tt; tv = s.tv; ts = s.ts; te = s.te; tnl = s.tnl; tline = s.tline; tmk = s.tmk; tmkEol = s.tmkEol;
      tesc = s.tesc; tnum = s.tnum; tbig = s.tbig; pt = s.pt; pv = s.pv; ps = s.ps; pe = s.pe; tokens = s.tokens;
    }

    function parseAssign(noIn) {
      enter();
      const r = parseAssign1(noIn);
      leave();
      return r;
    }
    function parseAssign1(noIn) {
      if (tt === T_NAME && !tesc && tv === "yield" && fn !== null && fn.gen) return parseYield(noIn);
      const startTok = ts;
      const left = parseConditional(noIn);
      if (tt === T_PUNCT && ASSIGN[tv] === 1 && !(left.t === "Fn" && left.arrow && !left.paren)) {
        const a = mk("Assign", startTok);
        a.op = tv;
        a.pos = ts;
        a.target = left;
        next();
        a.qMk = qpos();
        a.value = parseAssign(noIn);
        if (a.op === "=" && left.t === "Id" && !left.paren) nameFunction(a.value, left.name);
        a.e = pe;
        return a;
      }
      return left;
    }

    // Whether `=>` follows the current token on the same line (a cheap look at the characters;
    // a comment in between sends it to the exact check).
    function arrowNext() {
      let i = te;
      for (;;) {
        const c = cc(i);
        if (c === 32 || c === 9) { i++; continue; }
        if (c === 61) return cc(i + 1) === 62;
        if (c === 47 || c === 10 || c === 13) break;
        return false;
      }
      const save = saveState();
      next();
      const r = isP("=>") && !tnl;
      restoreState(save);
      return r;
    }

    // `( ... )` as an arrow function's parameters or a parenthesized expression (one pass: the
    // items are parsed as expressions, which covers patterns too).
    function parseParenthesized(start, q, isAsync, asyncId) {
      next();
      const items = [];
      let rest = false;
      let trailingComma = false;
      while (!isP(")")) {
        if (isP("...")) {
          const sp = mk("Spread", ts); next(); sp.arg = parseAssign(false); sp.e = pe; items[items.length] = sp; rest = true;
        } else items[items.length] = parseAssign(false);
        trailingComma = false;
        if (!eat(",")) break;
        trailingComma = true;
      }
      expect(")");
      if (isP("=>") && !tnl) return parseArrow(start, q, items, isAsync);
      if (asyncId !== null) {
        // a call of a function named async
        const c = mk("Call", start);
        c.pos = start; c.callee = asyncId; c.optional = false; c.args = items; c.qMk = q.afterParen; c.e = pe;
        return c;
      }
      if (items.length === 0 || rest || trailingComma) bail();
      let r;
      if (items.length === 1) r = items[0];
      else {
        r = mk("Seq", items[0].s);
        r.exprs = items;
        r.e = items[items.length - 1].e;
      }
      r.paren = (r.paren | 0) + 1;
      r.parenStart = start;
      return r;
    }

    function parseYield(noIn) {
      const y = mk("Yield", ts);
      next();
      y.delegate = false;
      y.arg = null;
      if (isP("*")) { y.delegate = true; next(); y.arg = parseAssign(noIn); }
      else if (!tnl && !isP(")") && !isP("]") && !isP("}") && !isP(",") && !isP(";") && !isP(":") && tt !== T_EOF && !(isN("in"))) {
        y.arg = parseAssign(noIn);
      }
      y.e = pe;
      return y;
    }

    function newFunction(start, q) {
      const f = mk("Fn", start);
      f.q = q;
      f.decls = new MapCtor();
      f.parentFn = scopeOwner;
      f.name = null;
      f.params = [];
      f.body = null;
      f.expr = null;
      f.arrow = false;
      f.async = false;
      f.gen = false;
      f.method = false;
      f.strict = false;
      f.kind = "function";
      script.fns[script.fns.length] = f;
      return f;
    }

    function parseArrow(start, q, params, isAsync) {
      expect("=>");
      const f = newFunction(start, q);
      f.arrow = true;
      f.async = isAsync;
      f.params = params;
      const outerFn = fn, outerScope = scopeOwner;
      fn = f; scopeOwner = f;
      for (let i = 0; i < params.length; i++) declarePattern(params[i], "param", -1);
      if (isP("{")) {
        f.bodyStart = ts;
        f.body = parseFunctionBody(f);
      } else {
        f.expr = parseAssign(false);
      }
      fn = outerFn; scopeOwner = outerScope;
      f.e = pe;
      return f;
    }

    function parseConditional(noIn) {
      const start = ts;
      const test = parseBinary(0, noIn);
      if (!isP("?")) return test;
      const c = mk("Cond", start);
      c.pos = ts;
      next();
      c.test = test;
      c.cons = parseAssign(false);
      expect(":");
      c.alt = parseAssign(noIn);
      c.e = pe;
      return c;
    }

    function binaryPrec(noIn) {
      if (tt === T_PUNCT) { const p = BINARY[tv]; return p === undefined ? -1 : p; }
      if (tt === T_NAME && !tesc && (tv === "instanceof" || (tv === "in" && !noIn))) return 8;
      return -1;
    }

    function parseBinary(minPrec, noIn) {
      enter();
      let left;
      const start = ts;
      if (tt === T_PRIV) {
        // `#x in obj`
        left = mk("PrivName", ts); left.name = tv; left.e = te; next();
        if (!isN("in")) bail();
      } else left = parseUnary();
      for (;;) {
        const prec = binaryPrec(noIn);
        if (prec < 0 || prec <= minPrec) {
          if (!(prec === 12 && minPrec === 12)) break;  // ** is right associative
        }
        const op = tv;
        const opPos = ts;
        next();
        const q = qpos();
        const right = op === "**" ? parseBinary(11, noIn) : parseBinary(prec, noIn);
        const kind = op === "&&" || op === "||" || op === "??" ? "Logic" : "Bin";
        const b = mk(kind, start);
        b.op = op; b.pos = opPos; b.left = left; b.right = right; b.qMk = q; b.e = pe;
        left = b;
      }
      leave();
      return left;
    }

    function parseUnary() {
      enter();
      let r;
      const start = ts;
      if (tt === T_PUNCT && (tv === "!" || tv === "~" || tv === "+" || tv === "-")) {
        r = mk("Unary", start); r.op = tv; r.pos = ts; next(); r.arg = parseUnary();
      } else if (tt === T_PUNCT && (tv === "++" || tv === "--")) {
        r = mk("Update", start); r.op = tv; r.prefix = true; r.pos = ts; next(); r.arg = parseUnary();
      } else if (tt === T_NAME && !tesc && (tv === "typeof" || tv === "void" || tv === "delete")) {
        r = mk("Unary", start); r.op = tv; r.pos = ts; next(); r.arg = parseUnary();
      } else if (tt === T_NAME && !tesc && tv === "await" && (fn === null ? false : fn.async)) {
        r = mk("Await", start); r.pos = ts; next(); r.arg = parseUnary();
      } else {
        r = parsePostfix();
      }
      r.e = pe;
      leave();
      return r;
    }

    function parsePostfix() {
      const start = ts;
      const e = parseLeftHandSide();
      if (tt === T_PUNCT && (tv === "++" || tv === "--") && !tnl) {
        const u = mk("Update", start);
        u.op = tv; u.prefix = false; u.pos = ts; u.arg = e;
        next();
        u.e = pe;
        return u;
      }
      return e;
    }

    function parseArguments(call) {
      // at `(`; returns the argument list (for a call, after recording QuickJS's position of
      // the token after the `(`)
      next();
      if (call !== undefined) call.qMk = qpos();
      const args = [];
      while (!isP(")")) {
        if (isP("...")) {
          const sp = mk("Spread", ts); next(); sp.arg = parseAssign(false); sp.e = pe;
          args[args.length] = sp;
        } else args[args.length] = parseAssign(false);
        if (!eat(",")) break;
      }
      expect(")");
      return args;
    }

    // Whether the previous token makes a call's position its own (V8: Token::IsCallable).
    function prevCallable() {
      if (pt !== T_NAME) return false;
      if (KEYWORDS[pv] === 1) return pv === "super";
      return true;
    }

    function parseLeftHandSide() {
      enter();
      const start = ts;
      let e;
      let inChain = false;
      // V8 places a member access at its name until a call or `?.` has been parsed in the
      // chain, at its `.` after that (its ParseLeftHandSideContinuation)
      let afterCall = false;
      if (isN("new")) e = parseNew();
      else if (isN("super")) {
        e = mk("Super", ts); e.e = te; next();
      } else if (isN("import")) {
        e = mk("Import", ts); e.e = te; next();
        if (isP(".")) { next(); const m = mk("Meta", start); m.name = "import." + tv; next(); m.e = pe; e = m; }
        else if (isP("(")) {
          const c = mk("ImportCall", start); c.args = parseArguments(); c.e = pe; e = c;
        } else bail();
      } else {
        e = parsePrimary();
        if (e.t === "Fn" && e.arrow && !e.paren) { leave(); return e; }
      }
      for (;;) {
        if (isP(".")) {
          const dot = ts;
          next();
          const m = mk("Member", start);
          m.obj = e; m.computed = false; m.optional = false;
          if (tt === T_PRIV) { m.priv = true; } else if (tt !== T_NAME) bail();
          m.prop = tv; m.pos = afterCall ? dot : ts;
          next();
          m.e = pe;
          e = m;
        } else if (isP("?.")) {
          inChain = true;
          afterCall = true;
          const qdot = ts;
          next();
          if (isP("(")) {
            const c = mk("Call", start);
            c.pos = ts;   // `(` after `?.`
            c.callee = e; c.optional = true;
            c.args = parseArguments(c);
            c.e = pe;
            e = c;
          } else if (isP("[")) {
            const m = mk("Member", start);
            m.obj = e; m.computed = true; m.optional = true; m.pos = ts;
            next();
            m.key = parseExpression(false);
            expect("]");
            m.e = pe;
            e = m;
          } else {
            const m = mk("Member", start);
            m.obj = e; m.computed = false; m.optional = true;
            if (tt === T_PRIV) m.priv = true; else if (tt !== T_NAME) bail();
            m.prop = tv; m.pos = qdot;
            next();
            m.e = pe;
            e = m;
          }
        } else if (isP("[")) {
          const m = mk("Member", start);
          m.obj = e; m.computed = true; m.optional = false; m.pos = ts;
          next();
          m.key = parseExpression(false);
          expect("]");
          m.e = pe;
          e = m;
        } else if (isP("(")) {
          const c = mk("Call", start);
          afterCall = true;
          c.pos = prevCallable() ? ps : ts;
          c.callee = e; c.optional = false;
          c.args = parseArguments(c);
          c.e = pe;
          e = c;
        } else if (tt === T_TPL) {
          const c = mk("Tagged", start);
          c.pos = ts;
          c.tag = e;
          c.qMk = qpos();
          c.quasi = parseTemplate();
          c.e = pe;
          e = c;
        } else break;
      }
      if (inChain) e.optChain = true;
      leave();
      return e;
    }

    function parseNew() {
      const start = ts;
      next();
      if (isP(".")) {
        next();
        const m = mk("Meta", start); m.name = "new." + tv; next(); m.e = pe;
        return m;
      }
      const nw = mk("New", start);
      nw.pos = start;
      nw.qMk = qpos();
      // the callee: a member expression without calls
      let callee;
      const cs = ts;
      if (isN("new")) callee = parseNew();
      else if (isN("super")) { callee = mk("Super", ts); callee.e = te; next(); }
      else callee = parsePrimary();
      for (;;) {
        if (isP(".")) {
          next();
          const m = mk("Member", cs);
          m.obj = callee; m.computed = false; m.optional = false;
          if (tt === T_PRIV) m.priv = true; else if (tt !== T_NAME) bail();
          m.prop = tv; m.pos = ts; next(); m.e = pe; callee = m;
        } else if (isP("[")) {
          const m = mk("Member", cs);
          m.obj = callee; m.computed = true; m.optional = false; m.pos = ts;
          next(); m.key = parseExpression(false); expect("]"); m.e = pe; callee = m;
        } else if (tt === T_TPL) {
          const c = mk("Tagged", cs); c.pos = ts; c.tag = callee; c.qMk = qpos(); c.quasi = parseTemplate(); c.e = pe; callee = c;
        } else break;
      }
      nw.callee = callee;
      if (isP("(")) {
        nw.args = parseArguments();
        nw.hasParens = true;
      } else { nw.args = []; nw.hasParens = false; }
      nw.e = pe;
      return nw;
    }

    function parseTemplate() {
      // at a ` token
      const t = mk("Tpl", ts);
      t.quasis = [];
      t.exprs = [];
      pos = ts + 1;
      for (;;) {
        const chunk = readTemplateChunk();
        t.quasis[t.quasis.length] = chunk.text;
        if (chunk.tail) break;
        te = pos;
        next();
        t.exprs[t.exprs.length] = parseExpression(false);
        if (!isP("}")) bail();
        pos = ts + 1;
      }
      te = pos;
      tt = T_TPL; tv = "`";
      next();
      t.e = pe;
      return t;
    }

    function parsePrimary() {
      enter();
      const start = ts;
      let r;
      if (tt === T_NAME) {
        const v = tv;
        if (tesc || KEYWORDS[v] !== 1) {
          const q = qpos();
          if (v === "async" && !tesc) {
            const save = saveState();
            const id = mk("Id", start); id.name = v; id.e = te;
            next();
            if (!tnl) {
              if (isN("function")) { r = parseFunction(start, q, true, false); leave(); return r; }
              if (tt === T_NAME && !tesc && KEYWORDS[tv] !== 1 && arrowNext()) {
                const p = mk("Id", ts); p.name = tv; p.e = te; next();
                r = parseArrow(start, q, [p], true); leave(); return r;
              }
              if (isP("(")) {
                const qp = qpos();
                const saveParen = saveState();
                next();
                qp.afterParen = qpos();
                restoreState(saveParen);
                r = parseParenthesized(start, qp, true, id); leave(); return r;
              }
            }
            restoreState(save);
          }
          if (arrowNext()) {
            const p = mk("Id", start); p.name = v; p.e = te; next();
            r = parseArrow(start, q, [p], false); leave(); return r;
          }
          r = mk("Id", start); r.name = v; r.e = te; r.ln = tline; next();
        } else if (v === "this") { r = mk("This", start); r.e = te; next(); }
        else if (v === "null") { r = mk("Lit", start); r.kind = "null"; r.e = te; next(); }
        else if (v === "true" || v === "false") { r = mk("Lit", start); r.kind = v; r.e = te; next(); }
        else if (v === "function") { r = parseFunction(start, qpos(), false, false); }
        else if (v === "class") { r = parseClass(false); }
        else bail();
      } else if (tt === T_NUM) {
        r = mk("Lit", start); r.kind = tbig ? "bigint" : "num"; r.value = tnum; r.raw = tv; r.e = te; next();
      } else if (tt === T_STR) {
        r = mk("Lit", start); r.kind = "str"; r.value = tv; r.e = te; next();
      } else if (tt === T_TPL) {
        r = parseTemplate();
      } else if (tt === T_PUNCT) {
        if (tv === "(") {
          r = parseParenthesized(start, qpos(), false, null);
        } else if (tv === "[") r = parseArray();
        else if (tv === "{") r = parseObject();
        else if (tv === "/" || tv === "/=") {
          const flags = rescanRegex();
          r = mk("Regex", start); r.pattern = tv; r.flags = flags; r.e = te; next();
        } else bail();
      } else if (tt === T_PRIV) bail();
      else bail();
      leave();
      return r;
    }

    function parseArray() {
      const a = mk("Arr", ts);
      a.elems = [];
      next();
      while (!isP("]")) {
        if (isP(",")) { a.elems[a.elems.length] = null; next(); continue; }
        if (isP("...")) { const sp = mk("Spread", ts); next(); sp.arg = parseAssign(false); sp.e = pe; a.elems[a.elems.length] = sp; }
        else a.elems[a.elems.length] = parseAssign(false);
        if (!isP("]")) expect(",");
      }
      next();
      a.e = pe;
      return a;
    }

    function parsePropertyKey(p) {
      // sets p.key (node) and p.computed
      if (isP("[")) {
        next();
        p.computed = true;
        p.key = parseAssign(false);
        expect("]");
        return;
      }
      p.computed = false;
      const k = mk("Lit", ts);
      if (tt === T_NAME) { k.kind = "str"; k.value = tv; k.ident = true; }
      else if (tt === T_STR) { k.kind = "str"; k.value = tv; }
      else if (tt === T_NUM) { k.kind = tbig ? "bigint" : "num"; k.value = tnum; k.raw = tv; }
      else if (tt === T_PRIV) { k.kind = "priv"; k.value = tv; }
      else bail();
      k.e = te;
      next();
      p.key = k;
    }

    function keyName(k) {
      if (k.kind === "num") return StringCtor(k.value);
      return k.value;
    }

    function parseObject() {
      const o = mk("Obj", ts);
      o.props = [];
      next();
      while (!isP("}")) {
        const p = { __proto__: null, kind: "init", key: null, computed: false, shorthand: false, value: null, s: ts };
        if (isP("...")) {
          p.kind = "spread";
          const sp = mk("Spread", ts); next(); sp.arg = parseAssign(false); sp.e = pe;
          p.value = sp;
        } else {
          let isAsync = false, isGen = false, accessor = null;
          const q = qpos();
          const ms = ts;
          if (isN("async") || isN("get") || isN("set")) {
            const save = saveState();
            const word = tv;
            next();
            if (isP(",") || isP(":") || isP("(") || isP("}") || isP("=")) restoreState(save);
            else if (word === "async" && !tnl) { isAsync = true; if (isP("*")) { isGen = true; next(); } }
            else if (word !== "async") accessor = word;
            else restoreState(save);
          }
          if (isP("*")) { isGen = true; next(); }
          parsePropertyKey(p);
          if (accessor !== null || isAsync || isGen || isP("(")) {
            p.kind = accessor !== null ? accessor : "method";
            p.value = parseMethod(ms, q, isAsync, isGen);
            if (!p.computed) p.value.inferred = (accessor !== null ? accessor + " " : "") + keyName(p.key);
          } else if (isP(":")) {
            next();
            p.value = parseAssign(false);
            if (!p.computed) nameFunction(p.value, keyName(p.key));
          } else {
            // shorthand (maybe with a default, in a pattern)
            if (p.computed || p.key.ident !== true) bail();
            p.shorthand = true;
            const id = mk("Id", p.key.s); id.name = p.key.value; id.e = p.key.e;
            if (isP("=")) {
              const a = mk("Assign", id.s); a.op = "="; a.pos = ts; a.target = id; next(); a.qMk = qpos(); a.value = parseAssign(false); a.e = pe;
              p.value = a;
            } else p.value = id;
          }
        }
        o.props[o.props.length] = p;
        if (!isP("}")) expect(",");
      }
      next();
      o.e = pe;
      return o;
    }

    function parseMethod(start, q, isAsync, isGen) {
      const f = newFunction(start, q);
      f.method = true;
      f.async = isAsync;
      f.gen = isGen;
      parseFunctionRest(f);
      return f;
    }

    function parseFunctionRest(f) {
      // at `(`: parameters and body
      const outerFn = fn, outerScope = scopeOwner;
      fn = f; scopeOwner = f;
      expect("(");
      while (!isP(")")) {
        if (isP("...")) { const sp = mk("Spread", ts); next(); sp.arg = parseBindingTarget(); sp.e = pe; f.params[f.params.length] = sp; }
        else f.params[f.params.length] = parseBindingElement();
        if (!eat(",")) break;
      }
      expect(")");
      for (let i = 0; i < f.params.length; i++) declarePattern(f.params[i], "param", -1);
      if (!isP("{")) bail();
      f.bodyStart = ts;
      f.body = parseFunctionBody(f);
      fn = outerFn; scopeOwner = outerScope;
      f.e = pe;
    }

    function parseFunctionBody(f) {
      expect("{");
      const body = [];
      let directives = true;
      while (!isP("}")) {
        if (tt === T_EOF) bail();
        if (directives && tt === T_STR) {
          if (slice(ts, te) === '"use strict"' || slice(ts, te) === "'use strict'") f.strict = true;
        } else directives = false;
        body[body.length] = parseStatement();
      }
      next();
      return body;
    }

    function parseFunction(start, q, isAsync, isDecl) {
      // at `function`
      next();
      const f = newFunction(start, q);
      f.async = isAsync;
      if (isP("*")) { f.gen = true; next(); }
      if (tt === T_NAME && !isP("(")) {
        const id = mk("Id", ts); id.name = tv; id.e = te; next();
        f.name = id;
        if (isDecl) declare(id.name, "function", -1);
      }
      parseFunctionRest(f);
      if (!isDecl && f.name !== null) apply(mapSet, f.decls, [f.name.name, { __proto__: null, kind: "fname", end: -1 }]);
      return f;
    }

    function parseClass(isDecl) {
      const c = mk("Class", ts);
      c.q = qpos();
      next();
      c.name = null;
      if (tt === T_NAME && !isN("extends") && !isP("{")) {
        const id = mk("Id", ts); id.name = tv; id.e = te; next(); c.name = id;
        if (isDecl) declare(id.name, "class", -2);
      }
      c.superClass = null;
      if (isN("extends")) { next(); c.superClass = parseLeftHandSide(); }
      expect("{");
      c.members = [];
      while (!isP("}")) {
        if (eat(";")) continue;
        const m = { __proto__: null, kind: "method", isStatic: false, key: null, computed: false, value: null, s: ts };
        const q = qpos();
        let ms = ts;
        if (isN("static")) {
          const save = saveState();
          next();
          if (isP("(") || isP("=") || isP(";") || isP("}")) restoreState(save);
          else { m.isStatic = true; ms = ts; }
          if (m.isStatic && isP("{")) {
            // static block: a function-like body
            const f = newFunction(ts, qpos());
            f.method = true;
            const outerFn = fn, outerScope = scopeOwner;
            fn = f; scopeOwner = f;
            f.bodyStart = ts;
            f.body = parseFunctionBody(f);
            fn = outerFn; scopeOwner = outerScope;
            f.e = pe;
            m.kind = "block"; m.value = f;
            c.members[c.members.length] = m;
            continue;
          }
        }
        let isAsync = false, isGen = false, accessor = null;
        if (isN("async") || isN("get") || isN("set") || isN("accessor")) {
          const save = saveState();
          const word = tv;
          next();
          if (isP("(") || isP("=") || isP(";") || isP("}") || tnl && word !== "get" && word !== "set") restoreState(save);
          else if (word === "async") { isAsync = true; if (isP("*")) { isGen = true; next(); } }
          else if (word === "accessor") { /* decorator-era keyword: treat as a field */ }
          else accessor = word;
        }
        if (isP("*")) { isGen = true; next(); }
        parsePropertyKey(m);
        if (isP("(")) {
          m.kind = accessor !== null ? accessor : "method";
          const f = parseMethod(ms, q, isAsync, isGen);
          f.strict = true;
          f.inClass = c;
          if (!m.computed) {
            const kn = keyName(m.key);
            f.inferred = kn === "constructor" && !m.isStatic && accessor === null ? (c.name !== null ? c.name.name : "") : (accessor !== null ? accessor + " " : "") + kn;
            if (kn === "constructor" && !m.isStatic) { f.ctorOf = c; c.ctor = f; }
          }
          m.value = f;
        } else {
          m.kind = "field";
          if (isP("=")) {
            next();
            const f = newFunction(ts, qpos());
            f.method = true;
            f.strict = true;
            const outerFn = fn, outerScope = scopeOwner;
            fn = f; scopeOwner = f;
            f.expr = parseAssign(false);
            fn = outerFn; scopeOwner = outerScope;
            f.e = pe;
            f.field = true;
            f.inClass = c;
            if (!m.computed) nameFunction(f.expr, keyName(m.key));
            m.value = f;
          }
          semicolon();
        }
        c.members[c.members.length] = m;
      }
      next();
      c.e = pe;
      return c;
    }

    // ---- patterns (binding) ------------------------------------------------------------------
    function parseBindingTarget() {
      if (isP("[") || isP("{")) return parsePrimary();
      if (tt !== T_NAME) bail();
      const id = mk("Id", ts); id.name = tv; id.e = te; next();
      return id;
    }
    function parseBindingElement() {
      const target = parseBindingTarget();
      if (isP("=")) {
        const a = mk("Assign", target.s); a.op = "="; a.pos = ts; a.target = target; next(); a.qMk = qpos(); a.value = parseAssign(false); a.e = pe;
        return a;
      }
      return target;
    }

    // ---- statements -------------------------------------------------------------------------
    function parseStatement() {
      enter();
      const r = parseStatement1();
      leave();
      return r;
    }

    function parseVar(kind, noIn) {
      // after the keyword
      const v = mk("Var", ps);
      v.kind = kind;
      v.decls = [];
      for (;;) {
        const d = { __proto__: null, id: null, init: null, s: ts, initStart: -1 };
        d.id = parseBindingTarget();
        if (isP("=")) {
          next();
          d.initStart = ts;
          d.init = parseAssign(noIn);
          if (d.id.t === "Id") nameFunction(d.init, d.id.name);
        }
        if (d.id.t === "Id") declare(d.id.name, kind, kind === "var" ? -1 : pe, d.init);
        else declarePattern(d.id, kind, kind === "var" ? -1 : pe);
        v.decls[v.decls.length] = d;
        if (!eat(",")) break;
      }
      v.e = pe;
      return v;
    }

    function isLetDecl() {
      if (!isN("let")) return false;
      const save = saveState();
      next();
      const r = (tt === T_NAME && !(tnl && KEYWORDS[tv] === 1)) || isP("[") || isP("{");
      restoreState(save);
      return r;
    }

    function parseStatement1() {
      const start = ts;
      const q = qpos();
      if (tt === T_PUNCT) {
        if (tv === "{") {
          const b = mk("Block", start); next(); b.body = [];
          while (!isP("}")) { if (tt === T_EOF) bail(); b.body[b.body.length] = parseStatement(); }
          next(); b.e = pe; return b;
        }
        if (tv === ";") { const e = mk("Empty", start); next(); e.e = pe; return e; }
      }
      if (tt === T_NAME && !tesc) {
        switch (tv) {
          case "var": case "const": {
            const kind = tv; next();
            const v = parseVar(kind, false); semicolon(); v.s = start; v.e = pe; return v;
          }
          case "let":
            if (isLetDecl()) { next(); const v = parseVar("let", false); semicolon(); v.s = start; v.e = pe; return v; }
            break;
          case "function": {
            const f = parseFunction(start, q, false, true);
            f.decl = true;
            return f;
          }
          case "async": {
            const save = saveState();
            next();
            if (isN("function") && !tnl) { const f = parseFunction(start, q, true, true); f.decl = true; return f; }
            restoreState(save);
            break;
          }
          case "class": {
            const c = parseClass(true); c.decl = true; return c;
          }
          case "if": {
            const s = mk("If", start); next(); expect("("); s.test = parseExpression(false); expect(")");
            s.cons = parseStatement(); s.alt = null;
            if (isN("else")) { next(); s.alt = parseStatement(); }
            s.e = pe; return s;
          }
          case "return": {
            const s = mk("Return", start); next(); s.arg = null;
            if (!isP(";") && !isP("}") && tt !== T_EOF && !tnl) s.arg = parseExpression(false);
            semicolon(); s.e = pe; return s;
          }
          case "throw": {
            const s = mk("Throw", start); next(); s.qMk = qpos(); s.arg = parseExpression(false); semicolon(); s.e = pe; return s;
          }
          case "while": {
            const s = mk("While", start); next(); expect("("); s.test = parseExpression(false); expect(")"); s.body = parseStatement(); s.e = pe; return s;
          }
          case "do": {
            const s = mk("DoWhile", start); next(); s.body = parseStatement(); expectName("while"); expect("(");
            s.test = parseExpression(false); expect(")"); eat(";"); s.e = pe; return s;
          }
          case "for": return parseFor(start, q);
          case "break": case "continue": {
            const s = mk(tv === "break" ? "Break" : "Continue", start); next();
            if (tt === T_NAME && !tnl && KEYWORDS[tv] !== 1) next();
            semicolon(); s.e = pe; return s;
          }
          case "try": {
            const s = mk("Try", start); next();
            s.block = parseStatement(); s.param = null; s.handler = null; s.finalizer = null;
            if (isN("catch")) {
              next();
              if (eat("(")) { s.param = parseBindingTarget(); declarePattern(s.param, "param", -1); expect(")"); }
              s.handler = parseStatement();
            }
            if (isN("finally")) { next(); s.finalizer = parseStatement(); }
            s.e = pe; return s;
          }
          case "switch": {
            const s = mk("Switch", start); next(); expect("("); s.disc = parseExpression(false); expect(")"); expect("{");
            s.cases = [];
            while (!isP("}")) {
              const c = { __proto__: null, test: null, body: [], s: ts };
              if (isN("case")) { next(); c.test = parseExpression(false); }
              else expectName("default");
              expect(":");
              while (!isP("}") && !isN("case") && !isN("default")) { if (tt === T_EOF) bail(); c.body[c.body.length] = parseStatement(); }
              s.cases[s.cases.length] = c;
            }
            next(); s.e = pe; return s;
          }
          case "debugger": { const s = mk("Empty", start); next(); semicolon(); s.e = pe; return s; }
          case "with": {
            const s = mk("With", start); next(); expect("("); s.obj = parseExpression(false); expect(")"); s.body = parseStatement(); s.e = pe; return s;
          }
          case "import": case "export": bail(); break;
          default: break;
        }
        if (KEYWORDS[tv] !== 1) {
          // a label?
          const save = saveState();
          next();
          if (isP(":")) { next(); const s = mk("Labeled", start); s.body = parseStatement(); s.e = pe; return s; }
          restoreState(save);
        }
      }
      const s = mk("ExprStmt", start);
      s.qMk = q;
      s.expr = parseExpression(false);
      semicolon();
      s.e = pe;
      return s;
    }

    function parseFor(start, q) {
      next();
      let isAwait = false;
      if (isN("await")) { isAwait = true; next(); }
      expect("(");
      let init = null;
      const initStart = ts;
      const initQ = qpos();
      if (isP(";")) { /* none */ }
      else if (isN("var") || isN("const") || isLetDecl()) {
        const kind = tv; next();
        init = parseVar(kind, true);
        init.s = initStart;
      } else {
        const es = mk("ExprStmt", initStart);
        es.qMk = initQ;
        es.expr = parseExpression(true);
        es.e = pe;
        init = es;
      }
      if (init !== null && (isN("of") || isN("in"))) {
        const s = mk(isN("of") ? "ForOf" : "ForIn", start);
        s.await = isAwait;
        next();
        s.left = init;
        s.right = s.t === "ForOf" ? parseAssign(false) : parseExpression(false);
        expect(")");
        s.body = parseStatement();
        s.e = pe;
        return s;
      }
      const s = mk("For", start);
      s.init = init;
      expect(";");
      s.test = null; s.update = null; s.updateQ = null;
      if (!isP(";")) { s.testQ = qpos(); s.test = parseExpression(false); }
      expect(";");
      if (!isP(")")) { s.updateStart = ts; s.updateQ = qpos(); s.update = parseExpression(false); }
      expect(")");
      s.body = parseStatement();
      s.e = pe;
      return s;
    }

    if (lex === true) {
      const list = [];
      try {
        next();
        for (;;) {
          if (tt === T_PUNCT && (tv === "/" || tv === "/=") && regexAllowedAfter()) rescanRegex();
          const tok = { __proto__: null, t: tt, v: tv, s: ts, e: te, nl: tnl };
          if (tt === T_TPL) { skipTemplate(); tok.e = pe; list[list.length] = tok; continue; }
          list[list.length] = tok;
          if (tt === T_EOF) break;
          next();
        }
      } catch (e) {
        if (e !== BAIL) throw e;
        // Out of token budget: what follows is unknown, not unreadable.
        if (tokens > MAX_TOKENS) return { __proto__: null, tokens: list, lineStarts, truncated: true };
        // an unreadable token (an unterminated string...): the tokens so far, then it
        list[list.length] = { __proto__: null, t: -1, v: "", s: ts, e: n, nl: tnl };
      }
      return { __proto__: null, tokens: list, lineStarts, truncated: false };
    }
    next();
    script.body = [];
    if (win !== undefined) {
      script.s = from;
      script.window = true;
      while (tt !== T_EOF && ts <= win.until) script.body[script.body.length] = parseStatement();
      script.e = pe;
      return script;
    }
    while (tt !== T_EOF) script.body[script.body.length] = parseStatement();
    script.e = n;
    script.lineStarts = lineStarts;
    return script;
  }

  // ---- helpers over the tree ----------------------------------------------------------------
  function isPattern(e) { return e !== null && (e.t === "Obj" || e.t === "Arr"); }
  // `-1`: V8 folds it into a numeric literal.
  function isNegNumber(e) { return e.t === "Unary" && e.op === "-" && !e.paren && e.arg.t === "Lit" && e.arg.kind === "num" && !e.arg.paren; }
  function isSmiLiteral(e) {
    let v;
    if (e.t === "Lit" && e.kind === "num") v = e.value;
    else if (isNegNumber(e)) v = -e.arg.value;
    else return false;
    return v === (v | 0) && !(v === 0 && 1 / v < 0);
  }
  // V8's position of an expression node (Expression::position()).
  function v8pos(e) {
    switch (e.t) {
      case "Member": case "Call": case "New": case "Tagged": case "Bin": case "Logic": case "Assign": case "Unary":
      case "Update": case "Cond": case "Await":
        return isNegNumber(e) ? e.s : e.pos;
      case "Seq": return e.ops !== undefined && e.ops.length ? e.ops[0] : e.s;
      default: return e.s;
    }
  }
  function stripDefault(t) { return t.t === "Assign" && t.op === "=" ? t.target : t; }
  function defaultOf(t) { return t.t === "Assign" && t.op === "=" ? t.value : null; }

  // How V8 loads a variable from `fnNode`: "local" (a register), "closure" (a context slot of
  // an enclosing function), or "global" (the global object or the script's scope).
  function resolve(fnNode, name) {
    let f = fnNode;
    let own = true;
    while (f !== null && f.t !== "Script") {
      const d = apply(mapGet, f.decls, [name]);
      if (d !== undefined) return { __proto__: null, where: own ? "local" : "closure", kind: d.kind, end: d.end, init: d.init };
      if (name === "arguments" && !f.arrow) return { __proto__: null, where: own ? "local" : "closure", kind: "param", end: -1, init: null };
      f = f.parentFn;
      own = false;
    }
    return { __proto__: null, where: "global", kind: "global", end: -1, init: null };
  }

  // Whether a call's callee is a function whatever happens at run time (a function literal, a
  // declared function, a constant bound to one, or a method of a constant object literal):
  // such a call cannot be the one that was "not a function".
  function surelyCallable(fnNode, c) {
    if (c.t === "Fn") return true;
    if (c.t === "Id") {
      const r = resolve(fnNode, c.name);
      return r.kind === "function" || (r.kind === "const" && r.init !== null && r.init.t === "Fn");
    }
    if (c.t === "Member" && !c.computed && !c.optional && c.obj.t === "Id") {
      const r = resolve(fnNode, c.obj.name);
      if (r.kind !== "const" || r.init === null || r.init.t !== "Obj") return false;
      const props = r.init.props;
      let v = null;
      for (let i = 0; i < props.length; i++) {
        const p = props[i];
        if (p.kind === "spread" || p.computed) return false;   // could be overridden
        if (p.key.value === c.prop && p.kind !== "get" && p.kind !== "set") v = p.value;
      }
      return v !== null && v.t === "Fn";
    }
    return false;
  }

  // A literal's value as V8 prints it in a message (NoSideEffectsToString), or null.
  function literalText(e) {
    if (e.t === "Lit") {
      if (e.kind === "str") return e.value;
      if (e.kind === "num") return StringCtor(e.value);
      if (e.kind === "null" || e.kind === "true" || e.kind === "false") return e.kind;
      return null;
    }
    if (e.t === "Tpl" && e.exprs.length === 0) return e.quasis[0];
    if (isNegNumber(e)) return StringCtor(-e.arg.value);
    if (e.t === "Id" && e.name === "undefined") return "undefined";
    return null;
  }

  // An argument as V8 prints it in a built-in's message (NoSideEffectsToString), when it is
  // written out: a literal, an empty object or array literal; else null.
  function argumentText(e) {
    const t = literalText(e);
    if (t !== null) return t;
    if (e.t === "Obj") return "#<Object>";
    if (e.t === "Arr" && e.elems.length === 0) return "";
    return null;
  }
  function argumentType(e) {
    if (e.t === "Lit") return e.kind === "str" ? "string" : e.kind === "num" ? "number" : e.kind === "null" ? "object" : e.kind === "bigint" ? "bigint" : "boolean";
    if (isNegNumber(e)) return "number";
    if (e.t === "Id" && e.name === "undefined") return "undefined";
    if (e.t === "Tpl" && e.exprs.length === 0) return "string";
    return null;
  }

  // The name a callee's function is known by (`f`, `o.f` and `o["f"]`: "f").
  function terminalName(c) {
    if (c.t === "Id") return c.name;
    if (c.t === "Member") {
      if (!c.computed) return c.prop;
      if (c.key.t === "Lit" && c.key.kind === "str") return c.key.value;
    }
    return null;
  }

  // A callee that is a plain path of names (`Object.defineProperty`), or null.
  function calleePath(c) {
    if (c.t === "Id") return c.name;
    if (c.t === "Member" && !c.computed && !c.optional && !c.priv) {
      const o = calleePath(c.obj);
      return o === null ? null : o + "." + c.prop;
    }
    return null;
  }

  // ---- QuickJS: the position each operation reports -------------------------------------------
  // Walks a function in QuickJS's compilation order, recording its source positions (`q`) and,
  // for every operation that can fail, the position in force when it runs.
  function quickjsWalk(fnNode) {
    const ops = [];
    let q = fnNode.t === "Script" ? null : fnNode.q;
    let depth = 0;
    function op(kind, node, key) { ops[ops.length] = { __proto__: null, kind, node, key, q }; }
    function idq(id) { q = { __proto__: null, line: id.ln, mk: id.s, eol: -2 }; }
    function memberKey(m) {
      if (!m.computed) return m.prop;
      const k = m.key;
      if (k.t === "Lit" && (k.kind === "str" || k.kind === "num")) return StringCtor(k.value);
      if (k.t === "Member" && !k.computed && k.obj.t === "Id" && k.obj.name === "Symbol") return "Symbol." + k.prop;
      return null;
    }
    function expr(e) {
      if (e === null) return;
      if (++depth > MAX_DEPTH) bail();
      switch (e.t) {
        case "Id": idq(e); op("var", e, e.name); break;
        case "Lit": case "Regex": case "This": case "Super": case "Meta": case "PrivName": case "Import": break;
        case "Fn": break;
        case "Class":
          if (e.superClass !== null) expr(e.superClass);
          for (let i = 0; i < e.members.length; i++) if (e.members[i].computed) expr(e.members[i].key);
          break;
        case "Tpl":
          for (let i = 0; i < e.exprs.length; i++) { expr(e.exprs[i]); op("tpl", e.exprs[i], null); }
          break;
        case "Tagged":
          callee(e.tag);
          q = e.qMk;
          for (let i = 0; i < e.quasi.exprs.length; i++) expr(e.quasi.exprs[i]);
          op("call", e, null);
          break;
        case "Arr":
          for (let i = 0; i < e.elems.length; i++) {
            const el = e.elems[i];
            if (el === null) continue;
            if (el.t === "Spread") { expr(el.arg); op("iter", el, null); } else expr(el);
          }
          break;
        case "Obj":
          for (let i = 0; i < e.props.length; i++) {
            const p = e.props[i];
            if (p.computed) expr(p.key);
            if (p.kind === "spread") expr(p.value.arg);
            else if (p.kind === "init") expr(p.value);
          }
          break;
        case "Member":
          expr(e.obj);
          if (e.computed) expr(e.key);
          op("get", e, memberKey(e));
          break;
        case "Call": {
          if (e.callee.t === "Super") { /* super(...) */ } else callee(e.callee);
          q = e.qMk;
          args(e.args);
          op("call", e, null);
          break;
        }
        case "New":
          q = e.qMk;
          callee(e.callee);
          args(e.args);
          op("new", e, null);
          break;
        case "Unary":
          if (e.op === "delete" && e.arg.t === "Member") {
            expr(e.arg.obj);
            if (e.arg.computed) expr(e.arg.key);
            op("delete", e, memberKey(e.arg));
          } else if (e.op === "typeof" && e.arg.t === "Id") {
            idq(e.arg);
          } else {
            expr(e.arg);
            if (e.op === "-" || e.op === "+" || e.op === "~") op("unary", e, null);
          }
          break;
        case "Update":
          if (e.arg.t === "Id") { idq(e.arg); op("var", e.arg, e.arg.name); op("unary", e, null); op("assignvar", e, e.arg.name); }
          else if (e.arg.t === "Member") {
            expr(e.arg.obj);
            if (e.arg.computed) expr(e.arg.key);
            op("get", e.arg, memberKey(e.arg));
            op("unary", e, null);
            op("set", e, memberKey(e.arg));
          } else expr(e.arg);
          break;
        case "Bin":
          expr(e.left);
          if (e.op !== "**") q = e.qMk;   // `**` is compiled with the unary operators: no position
          expr(e.right);
          op("bin", e, null);
          break;
        case "Logic": expr(e.left); expr(e.right); break;
        case "Cond": expr(e.test); expr(e.cons); expr(e.alt); break;
        case "Assign": assign(e); break;
        case "Seq": for (let i = 0; i < e.exprs.length; i++) expr(e.exprs[i]); break;
        case "Spread": expr(e.arg); break;
        case "Await": expr(e.arg); op("await", e, null); break;
        case "Yield": if (e.arg !== null) expr(e.arg); op("yield", e, null); break;
        case "ImportCall": args(e.args); break;
        default: bail();
      }
      depth--;
    }
    function callee(c) {
      if (c.t === "Member") {
        expr(c.obj);
        if (c.computed) expr(c.key);
        op("get", c, memberKey(c));
      } else expr(c);
    }
    function args(list) {
      for (let i = 0; i < list.length; i++) {
        const a = list[i];
        if (a.t === "Spread") { expr(a.arg); op("spreadCall", a, null); } else expr(a);
      }
    }
    function assign(e) {
      const t = e.target;
      if (e.op === "=") {
        if (t.t === "Id") { idq(t); expr(e.value); op("assignvar", e, t.name); }
        else if (t.t === "Member") {
          expr(t.obj);
          if (t.computed) expr(t.key);
          expr(e.value);
          op("set", e, memberKey(t));
        } else if (isPattern(t)) { pattern(t, false); expr(e.value); }
        else expr(e.value);
        return;
      }
      if (t.t === "Id") { idq(t); op("var", t, t.name); expr(e.value); op("bin", e, null); op("assignvar", e, t.name); }
      else if (t.t === "Member") {
        expr(t.obj);
        if (t.computed) expr(t.key);
        op("get", t, memberKey(t));
        expr(e.value);
        op("bin", e, null);
        op("set", e, memberKey(t));
      } else expr(e.value);
    }
    // A destructuring pattern; QuickJS lays its code out before its initializer's.
    function pattern(p, isParam) {
      if (++depth > MAX_DEPTH) bail();
      if (p.t === "Obj") {
        op("destr", p, null);
        for (let i = 0; i < p.props.length; i++) {
          const pr = p.props[i];
          if (pr.computed) expr(pr.key);
          if (pr.kind === "spread") { target(pr.value.arg); continue; }
          op("destrGet", pr, pr.computed ? null : keyName(pr.key));
          const d = defaultOf(pr.value);
          if (d !== null) expr(d);
          target(stripDefault(pr.value));
        }
      } else if (p.t === "Arr") {
        op("iter", p, null);
        for (let i = 0; i < p.elems.length; i++) {
          const el = p.elems[i];
          if (el === null) continue;
          op("iterNext", el, null);
          if (el.t === "Spread") { target(el.arg); continue; }
          const d = defaultOf(el);
          if (d !== null) expr(d);
          target(stripDefault(el));
        }
      }
      depth--;
    }
    function target(t) {
      if (isPattern(t)) pattern(t, false);
      else if (t.t === "Member") { expr(t.obj); if (t.computed) expr(t.key); op("set", t, memberKey(t)); }
    }
    function keyName(k) { return k.kind === "num" ? StringCtor(k.value) : k.value; }
    function varDecl(v) {
      for (let i = 0; i < v.decls.length; i++) {
        const d = v.decls[i];
        if (d.init === null) continue;
        if (isPattern(d.id)) { pattern(d.id, false); expr(d.init); }
        else expr(d.init);
      }
    }
    function stmt(s) {
      if (s === null) return;
      if (++depth > MAX_DEPTH) bail();
      switch (s.t) {
        case "ExprStmt": q = s.qMk; expr(s.expr); break;
        case "Var": varDecl(s); break;
        case "Return": if (s.arg !== null) expr(s.arg); break;
        case "Throw": q = s.qMk; expr(s.arg); break;
        case "If": expr(s.test); stmt(s.cons); stmt(s.alt); break;
        case "Block": for (let i = 0; i < s.body.length; i++) stmt(s.body[i]); break;
        case "For":
          if (s.init !== null) { if (s.init.t === "Var") varDecl(s.init); else expr(s.init.expr); }
          if (s.test !== null) expr(s.test);
          stmt(s.body);
          if (s.update !== null) expr(s.update);
          break;
        case "ForOf": case "ForIn": {
          expr(s.right);
          op(s.t === "ForOf" ? "iter" : "forin", s, null);
          const l = s.left;
          if (l.t === "Var") { const id = l.decls[0].id; if (isPattern(id)) pattern(id, false); }
          else if (isPattern(l.expr)) pattern(l.expr, false);
          else if (l.expr.t === "Member") { expr(l.expr.obj); if (l.expr.computed) expr(l.expr.key); op("set", l.expr, memberKey(l.expr)); }
          stmt(s.body);
          break;
        }
        case "While": expr(s.test); stmt(s.body); break;
        case "DoWhile": stmt(s.body); expr(s.test); break;
        case "Try":
          stmt(s.block);
          if (s.param !== null && isPattern(s.param)) pattern(s.param, false);
          stmt(s.handler);
          stmt(s.finalizer);
          break;
        case "Switch":
          expr(s.disc);
          for (let i = 0; i < s.cases.length; i++) if (s.cases[i].test !== null) expr(s.cases[i].test);
          for (let i = 0; i < s.cases.length; i++) { const b = s.cases[i].body; for (let j = 0; j < b.length; j++) stmt(b[j]); }
          break;
        case "Labeled": stmt(s.body); break;
        case "With": expr(s.obj); stmt(s.body); break;
        case "Class": expr(s); break;
        case "Fn": case "Empty": case "Break": case "Continue": break;
        default: bail();
      }
      depth--;
    }
    if (fnNode.t === "Script") {
      for (let i = 0; i < fnNode.body.length; i++) stmt(fnNode.body[i]);
    } else {
      for (let i = 0; i < fnNode.params.length; i++) {
        const p = fnNode.params[i];
        const d = p.t === "Assign" ? p.value : null;
        if (d !== null) expr(d);
        const t = stripDefault(p.t === "Spread" ? p.arg : p);
        if (isPattern(t)) pattern(t, true);
      }
      if (fnNode.body !== null) for (let i = 0; i < fnNode.body.length; i++) stmt(fnNode.body[i]);
      else if (fnNode.expr !== null) expr(fnNode.expr);
    }
    return ops;
  }

  // ---- V8: the position each operation reports ------------------------------------------------
  // Replays V8's bytecode generation for a function as far as source positions go: a statement
  // position attaches to the next bytecode; an expression position to the next bytecode that
  // can throw, and is dropped while a statement position waits; a bytecode without a position
  // of its own reports the last one attached before it.
  function v8Walk(fnNode) {
    const ops = [];
    let pk = 0, pp = -1;   // pending position: kind 0 none, 1 statement, 2 expression
    let last = fnNode.t === "Script" ? 0 : fnNode.s;
    let depth = 0;
    function S(p) { if (p >= 0) { pk = 1; pp = p; } }
    function X(p) { if (p >= 0 && pk !== 1) { pk = 2; pp = p; } }
    function B(se) { if (pk === 1 || (pk === 2 && se)) { last = pp; pk = 0; } }
    function op(kind, node) { B(true); ops[ops.length] = { __proto__: null, kind, node, pos: last }; }
    function holeCheck(e, r) {
      // let/const/class read before its declaration ends, or from a closure
      if (r.kind !== "let" && r.kind !== "const" && r.kind !== "class") return false;
      return r.where === "closure" || r.end === -2 || e.s < r.end;
    }
    function loadVar(e, withPosition) {
      const r = resolve(fnNode, e.name);
      if (withPosition) X(e.s);
      if (r.where === "global") op("var", e);
      else {
        B(false);
        if (holeCheck(e, r)) op("var", e);
      }
    }
    function expr(e) {
      if (e === null) return;
      if (++depth > MAX_DEPTH) bail();
      switch (e.t) {
        case "Id": loadVar(e, true); break;
        case "Lit": B(false); break;
        case "Regex": B(true); break;
        case "This": case "Meta": case "PrivName": B(false); break;
        case "Super": break;
        case "Fn": B(true); break;
        case "Class":
          if (e.superClass !== null) expr(e.superClass);
          for (let i = 0; i < e.members.length; i++) if (e.members[i].computed) { expr(e.members[i].key); B(true); }
          B(true);
          break;
        case "Tpl": {
          if (e.exprs.length === 0) { B(false); break; }
          X(e.s);
          for (let i = 0; i < e.exprs.length; i++) {
            if (e.quasis[i] !== "") { B(false); if (i > 0) B(true); }
            expr(e.exprs[i]);
            op("tpl", e.exprs[i]);
            if (i > 0 || e.quasis[i] !== "") B(true);
          }
          if (e.quasis[e.exprs.length] !== "") { B(false); B(true); }
          break;
        }
        case "Tagged":
          calleeLoad(e.tag);
          B(true);  // the template object
          for (let i = 0; i < e.quasi.exprs.length; i++) expr(e.quasi.exprs[i]);
          X(e.pos);
          op("call", e);
          break;
        case "Arr": arrayLiteral(e.elems); break;
        case "Obj":
          B(true);
          for (let i = 0; i < e.props.length; i++) {
            const p = e.props[i];
            if (p.computed) { expr(p.key); B(true); }
            if (p.kind === "spread") { expr(p.value.arg); B(true); }
            else if (p.kind === "init") {
              const v = p.value;
              if (v.t === "Lit" && !p.computed) continue;   // in the boilerplate
              expr(v);
              B(true);
            } else B(true);
          }
          break;
        case "Member":
          if (e.obj.t === "Super") { B(false); X(e.pos); op("get", e); break; }
          expr(e.obj);
          if (e.optional) B(false);
          if (e.computed) expr(e.key);
          else if (e.priv) B(false);
          X(e.pos);
          op("get", e);
          break;
        case "Call": call(e); break;
        case "New": {
          expr(e.callee);
          const nonFinal = nonFinalSpread(e.args);
          if (nonFinal) { arrayLiteral(e.args); X(e.pos); op("new", e); break; }
          args(e.args);
          X(e.pos);
          B(false);
          op("new", e);
          markSpread(e);
          break;
        }
        case "Unary":
          if (isNegNumber(e)) { B(false); break; }
          if (e.op === "!") { expr(e.arg); B(false); }
          else if (e.op === "typeof") {
            if (e.arg.t === "Id") { const r = resolve(fnNode, e.arg.name); B(r.where === "global"); }
            else expr(e.arg);
            B(false);
          } else if (e.op === "void") { expr(e.arg); B(false); }
          else if (e.op === "delete") {
            if (e.arg.t === "Member") {
              expr(e.arg.obj);
              if (e.arg.computed) expr(e.arg.key); else B(false);
              op("delete", e);
            } else { expr(e.arg); B(false); }
          } else { expr(e.arg); X(e.pos); op("unary", e); }
          break;
        case "Update":
          if (e.arg.t === "Id") {
            loadVar(e.arg, false);
            op("unary", e);
            X(e.pos);
            storeVar(e.arg, e);
          } else if (e.arg.t === "Member") {
            const m = e.arg;
            expr(m.obj);
            if (m.computed) { expr(m.key); B(false); }
            op("get", m);
            op("unary", e);
            X(e.pos);
            op("set", e);
          } else expr(e.arg);
          break;
        case "Bin": binary(e); break;
        case "Logic": expr(e.left); B(false); expr(e.right); break;
        case "Cond": expr(e.test); B(false); expr(e.cons); B(false); expr(e.alt); break;
        case "Assign": assign(e); break;
        case "Seq": for (let i = 0; i < e.exprs.length; i++) expr(e.exprs[i]); break;
        case "Spread": expr(e.arg); break;
        case "Await": X(e.pos); expr(e.arg); op("await", e); break;
        case "Yield": X(e.s); if (e.arg !== null) expr(e.arg); op("yield", e); break;
        case "ImportCall": for (let i = 0; i < e.args.length; i++) expr(e.args[i]); B(true); break;
        default: bail();
      }
      depth--;
    }
    function nonFinalSpread(list) {
      for (let i = 0; i < list.length - 1; i++) if (list[i].t === "Spread") return true;
      return false;
    }
    function markSpread(e) {
      const a = e.args;
      if (a.length && a[a.length - 1].t === "Spread") ops[ops.length] = { __proto__: null, kind: "spreadCall", node: a[a.length - 1], pos: last };
    }
    function arrayLiteral(elems) {
      B(true);
      let spreadSeen = false;
      for (let i = 0; i < elems.length; i++) {
        const el = elems[i];
        if (el === null) { if (spreadSeen) B(true); continue; }
        if (el.t === "Spread") {
          spreadSeen = true;
          S(v8pos(el.arg));
          expr(el.arg);
          X(v8pos(el.arg));
          op("iter", el);
          B(true);
          continue;
        }
        if (!spreadSeen && (el.t === "Lit" || isNegNumber(el))) continue;   // in the boilerplate
        expr(el);
        B(true);
      }
    }
    function args(list) {
      for (let i = 0; i < list.length; i++) {
        const a = list[i];
        if (a.t === "Spread") expr(a.arg); else expr(a);
      }
    }
    // The callee of a call, as VisitCall prepares it.
    function calleeLoad(c) {
      if (c.t === "Member" && c.obj.t !== "Super") {
        expr(c.obj);
        if (c.optional) B(false);
        if (c.computed) expr(c.key);
        else if (c.priv) B(false);
        X(c.pos);
        op("get", c);
      } else if (c.t === "Member") { B(false); X(c.pos); op("get", c); }
      else if (c.t === "Id" && !c.paren) {
        const r = resolve(fnNode, c.name);
        if (r.where === "global") op("var", c);     // BuildVariableLoad: no position of its own
        else { X(c.s); B(false); if (holeCheck(c, r)) op("var", c); }
      } else expr(c);
    }
    function call(e) {
      if (e.callee.t === "Super") {
        args(e.args);
        B(false);
        X(e.pos);
        op("call", e);
        markSpread(e);
        return;
      }
      calleeLoad(e.callee);
      if (e.optional) B(false);
      if (nonFinalSpread(e.args)) { arrayLiteral(e.args); X(e.pos); op("call", e); return; }
      args(e.args);
      X(e.pos);
      op("call", e);
      markSpread(e);
    }
    function compareSpecial(e) {
      const op1 = e.op;
      if (op1 !== "==" && op1 !== "!=" && op1 !== "===" && op1 !== "!==" && op1 !== "<" && op1 !== ">") return null;
      const isTypeof = (x) => x.t === "Unary" && x.op === "typeof" && !x.paren;
      const isStr = (x) => x.t === "Lit" && x.kind === "str";
      if (isTypeof(e.left) && isStr(e.right)) return e.left;
      if (isTypeof(e.right) && isStr(e.left)) return e.right;
      return null;
    }
    function isNil(x) {
      if (x.t === "Lit" && x.kind === "null") return true;
      if (x.t === "Id" && x.name === "undefined" && resolve(fnNode, "undefined").where === "global") return true;
      if (x.t === "Unary" && x.op === "void" && x.arg.t === "Lit" && x.arg.kind === "num") return true;
      return false;
    }
    function isBool(x) { return x.t === "Lit" && (x.kind === "true" || x.kind === "false"); }
    function binary(e) {
      const o = e.op;
      const compare = o === "==" || o === "!=" || o === "===" || o === "!==" || o === "<" || o === ">" || o === "<=" || o === ">=" ||
        o === "in" || o === "instanceof";
      if (compare) {
        const t = compareSpecial(e);
        if (t !== null) {
          if (t.arg.t === "Id") { const r = resolve(fnNode, t.arg.name); B(r.where === "global"); } else expr(t.arg);
          X(e.pos); B(false);
          return;
        }
        if (o === "===" && (isBool(e.right) || isBool(e.left))) { expr(isBool(e.right) ? e.left : e.right); X(e.pos); B(false); return; }
        if ((o === "===" || o === "!==" || o === "==" || o === "!=") && (isNil(e.right) || isNil(e.left))) {
          expr(isNil(e.right) ? e.left : e.right); X(e.pos); B(false); return;
        }
        if (e.left.t === "PrivName") B(false); else expr(e.left);
        B(false);
        expr(e.right);
        X(e.pos);
        op("bin", e);
        return;
      }
      // arithmetic: a chain of the same operator is one NaryOperation in V8
      const chain = [e];
      let x = e.left;
      while (x.t === "Bin" && x.op === o && !x.paren && o !== "**") { chain[chain.length] = x; x = x.left; }
      if (chain.length > 1) {
        expr(x);
        for (let i = chain.length - 1; i >= 0; i--) {
          const b = chain[i];
          if (isSmiLiteral(b.right)) { X(b.pos); op("bin", b); }
          else { B(false); expr(b.right); X(b.pos); op("bin", b); }
        }
        return;
      }
      const commutative = o === "*" || o === "&" || o === "|" || o === "^";
      if (isSmiLiteral(e.right)) { expr(e.left); X(e.pos); op("bin", e); return; }
      if (commutative && isSmiLiteral(e.left)) { expr(e.right); X(e.pos); op("bin", e); return; }
      expr(e.left);
      B(false);
      expr(e.right);
      X(e.pos);
      op("bin", e);
    }
    function storeVar(id, node) {
      const r = resolve(fnNode, id.name);
      if (r.where === "global") { op("assignvar", node); return; }
      if (r.kind === "const" || r.kind === "fname") { op("assignvar", node); return; }
      if (holeCheck(id, r)) { op("assignvar", node); return; }
      B(false);
    }
    function assign(e) {
      const t = e.target;
      if (e.op === "=") {
        if (t.t === "Id") { expr(e.value); X(e.pos); storeVar(t, e); }
        else if (t.t === "Member") {
          if (t.obj.t === "Super") B(false); else expr(t.obj);
          if (t.computed) expr(t.key);
          expr(e.value);
          X(e.pos);
          if (t.computed) B(false);
          op("set", e);
        } else if (isPattern(t)) { expr(e.value); X(e.pos); destructure(t); }
        else { expr(e.value); X(e.pos); B(true); }
        return;
      }
      const logical = e.op === "&&=" || e.op === "||=" || e.op === "??=";
      if (t.t === "Id") loadVar(t, false);
      else if (t.t === "Member") {
        if (t.obj.t === "Super") B(false); else expr(t.obj);
        if (t.computed) { expr(t.key); B(false); }
        op("get", t);
      }
      if (logical) { B(false); expr(e.value); }
      else if (isSmiLiteral(e.value)) op("bin", e);
      else { B(false); expr(e.value); op("bin", e); }
      X(e.pos);
      if (t.t === "Id") storeVar(t, e);
      else if (t.t === "Member") { if (t.computed) B(false); op("set", e); }
    }
    // The value being destructured is in the accumulator.
    function destructure(p) {
      if (++depth > MAX_DEPTH) bail();
      B(false);
      if (p.t === "Obj") {
        const props = p.props;
        if (props.length === 0 || (props[0].computed && props[0].kind !== "spread")) {
          B(false);
          X(p.s);
          op("destr", p);
        }
        for (let i = 0; i < props.length; i++) {
          const pr = props[i];
          if (pr.kind === "spread") { X(v8pos(pr.value.arg)); prepareTarget(pr.value.arg); op("destrRest", pr); assignTarget(pr.value.arg); continue; }
          const tgt = stripDefault(pr.value);
          X(v8pos(tgt));
          if (pr.computed) { expr(pr.key); B(true); }
          else if (pr.key.kind === "num") B(false);
          prepareTarget(tgt);
          if (!pr.computed && pr.key.kind !== "num") op("destrGet", pr);
          else { B(false); op("destrGet", pr); }
          const d = defaultOf(pr.value);
          if (d !== null) { B(false); expr(d); }
          assignTarget(tgt);
        }
      } else if (p.t === "Arr") {
        op("iter", p);
        B(false);
        for (let i = 0; i < p.elems.length; i++) {
          const el = p.elems[i];
          if (el === null) { B(false); op("iterNext", p); B(false); continue; }
          if (el.t === "Spread") { X(el.s); prepareTarget(el.arg); B(true); op("iterNext", el); assignTarget(el.arg); continue; }
          const tgt = stripDefault(el);
          X(v8pos(tgt));
          prepareTarget(tgt);
          B(false);
          op("iterNext", el);
          op("iterValue", el);
          const d = defaultOf(el);
          if (d !== null) { B(false); expr(d); }
          assignTarget(tgt);
        }
        B(true);
      }
      depth--;
    }
    function prepareTarget(t) {
      if (t.t === "Member") { if (t.obj.t !== "Super") expr(t.obj); if (t.computed) expr(t.key); }
    }
    function assignTarget(t) {
      if (t.t === "Id") storeVar(t, t);
      else if (t.t === "Member") op("set", t);
      else if (isPattern(t)) destructure(t);
    }
    function varDecl(v) {
      for (let i = 0; i < v.decls.length; i++) {
        const d = v.decls[i];
        if (d.init === null) continue;
        S(d.initStart);
        expr(d.init);
        X(d.initStart);
        if (isPattern(d.id)) destructure(d.id);
        else {
          const r = resolve(fnNode, d.id.name);
          B(r.where === "global");
        }
      }
    }
    function stmt(s) {
      if (s === null) return;
      if (++depth > MAX_DEPTH) bail();
      switch (s.t) {
        case "ExprStmt": S(s.s); expr(s.expr); break;
        case "Var": varDecl(s); break;
        case "Return": S(s.s); if (s.arg !== null) expr(s.arg); B(false); break;
        case "Throw": S(s.s); expr(s.arg); X(s.s); B(true); break;
        case "If": S(s.s); expr(s.test); B(false); stmt(s.cons); stmt(s.alt); break;
        case "Block": for (let i = 0; i < s.body.length; i++) stmt(s.body[i]); break;
        case "For":
          if (s.init !== null) { if (s.init.t === "Var") varDecl(s.init); else { S(s.init.s); expr(s.init.expr); } }
          if (s.test !== null) { S(v8pos(s.test)); expr(s.test); B(false); }
          stmt(s.body);
          if (s.update !== null) { S(s.updateStart); expr(s.update); }
          B(false);
          break;
        case "ForOf": case "ForIn": {
          S(v8pos(s.right));
          expr(s.right);
          op(s.t === "ForOf" ? "iter" : "forin", s);
          const l = s.left;
          const each = l.t === "Var" ? l.decls[0].id : l.expr;
          S(v8pos(each));
          op("iterNext", s);
          B(true); B(true);
          if (l.t === "Var") { if (isPattern(each)) { B(false); S(each.s); B(false); destructure(each); } else B(false); }
          else if (isPattern(each)) { B(false); destructure(each); }
          else if (each.t === "Member") { prepareTarget(each); B(false); op("set", each); }
          else if (each.t === "Id") storeVar(each, each);
          stmt(s.body);
          break;
        }
        case "While": S(v8pos(s.test)); expr(s.test); B(false); stmt(s.body); break;
        case "DoWhile": stmt(s.body); S(v8pos(s.test)); expr(s.test); B(false); break;
        case "Try":
          stmt(s.block);
          if (s.param !== null && isPattern(s.param)) { B(false); destructure(s.param); }
          stmt(s.handler);
          stmt(s.finalizer);
          break;
        case "Switch":
          S(s.s);
          expr(s.disc);
          B(false);
          for (let i = 0; i < s.cases.length; i++) if (s.cases[i].test !== null) { S(v8pos(s.cases[i].test)); expr(s.cases[i].test); B(false); }
          for (let i = 0; i < s.cases.length; i++) { const b = s.cases[i].body; for (let j = 0; j < b.length; j++) stmt(b[j]); }
          break;
        case "Labeled": stmt(s.body); break;
        case "With": S(s.s); expr(s.obj); B(true); stmt(s.body); break;
        case "Class": S(s.s); expr(s); break;
        case "Fn": case "Empty": case "Break": case "Continue": break;
        default: bail();
      }
      depth--;
    }
    if (fnNode.t === "Script") {
      for (let i = 0; i < fnNode.body.length; i++) stmt(fnNode.body[i]);
    } else {
      for (let i = 0; i < fnNode.params.length; i++) {
        const p = fnNode.params[i];
        const t = stripDefault(p.t === "Spread" ? p.arg : p);
        const d = p.t === "Assign" ? p.value : null;
        if (d !== null) { B(false); expr(d); }
        if (isPattern(t)) destructure(t);
      }
      if (fnNode.body !== null) for (let i = 0; i < fnNode.body.length; i++) stmt(fnNode.body[i]);
      else if (fnNode.expr !== null) { S(fnNode.expr.s); expr(fnNode.expr); }
    }
    return ops;
  }

  // ---- V8's CallPrinter ----------------------------------------------------------------------
  // Searches the function for the expression at `position` and prints it as V8 does.
  // mode "spread": the error is in a call's spread argument (V8 prints that argument).
  function printCall(fnNode, position, mode) {
    let found = false, done = false, numPrints = 0, out = "";
    let isCallError = false, isIteratorError = false;
    let destrProp = null, destrAssign = null, spreadArg = null;
    let depth = 0;
    function P(str) { if (!found || done) return; numPrints++; out += str; }
    function find(node, print) {
      if (node === null) return;
      if (found) {
        if (print) {
          const prev = numPrints;
          visit(node);
          if (prev !== numPrints) return;
        }
        P("(intermediate value)");
      } else visit(node);
    }
    function findStatements(list) { for (let i = 0; i < list.length && !done; i++) find(list[i], false); }
    function findArguments(list) { if (found) return; for (let i = 0; i < list.length; i++) find(list[i], false); }
    function literal(e, quote) {
      switch (e.kind) {
        case "str": if (quote) P("\""); P(e.value); if (quote) P("\""); break;
        case "num": P(StringCtor(e.value)); break;
        case "null": P("null"); break;
        case "true": P("true"); break;
        case "false": P("false"); break;
        default: break;
      }
    }
    function visit(e) {
      if (e === null || done) return;
      if (++depth > MAX_DEPTH) bail();
      switch (e.t) {
        // statements
        case "Block": findStatements(e.body); break;
        case "ExprStmt": find(e.expr, false); break;
        case "Var":
          for (let i = 0; i < e.decls.length; i++) {
            const d = e.decls[i];
            if (d.init !== null) assignment(d.id, d.init, d.initStart);
          }
          break;
        case "If": find(e.test, false); find(e.cons, false); if (e.alt !== null) find(e.alt, false); break;
        case "Return": if (e.arg !== null) find(e.arg, false); break;
        case "Throw": find(e.arg, false); break;
        case "While": find(e.test, false); find(e.body, false); break;
        case "DoWhile": find(e.body, false); find(e.test, false); break;
        case "For":
          if (e.init !== null) find(e.init, false);
          if (e.test !== null) find(e.test, false);
          if (e.update !== null) find(e.update, false);
          find(e.body, false);
          break;
        case "ForIn": find(e.right, false); find(e.body, false); break;
        case "ForOf": {
          let wasFound = false;
          if (v8pos(e.right) === position) {
            isIteratorError = true;
            wasFound = !found;
            if (wasFound) found = true;
          }
          find(e.right, true);
          if (wasFound) { done = true; found = false; }
          const l = e.left;
          if (l.t === "Var" && isPattern(l.decls[0].id)) assignment(l.decls[0].id, null, -1, ".for");
          find(e.body, false);
          break;
        }
        case "Try": find(e.block, false); if (e.handler !== null) find(e.handler, false); if (e.finalizer !== null) find(e.finalizer, false); break;
        case "Switch":
          find(e.disc, false);
          for (let i = 0; i < e.cases.length; i++) {
            if (e.cases[i].test !== null) find(e.cases[i].test, false);
            findStatements(e.cases[i].body);
          }
          break;
        case "Labeled": find(e.body, false); break;
        case "With": find(e.obj, false); find(e.body, false); break;
        case "Empty": case "Break": case "Continue": break;
        case "Fn": break;   // bodies of inner functions are not parsed by V8 here
        // expressions
        case "Id": P(e.name); break;
        case "Lit": literal(e, true); break;
        case "Regex": P("/"); P(e.pattern); P("/"); printFlags(e.flags); break;
        case "This": P("this"); break;
        case "Super": break;
        case "Meta": break;
        case "PrivName": P(e.name); break;
        case "Class":
          if (e.superClass !== null) find(e.superClass, false);
          for (let i = 0; i < e.members.length; i++) if (e.members[i].value !== null && e.members[i].value.expr) find(e.members[i].value.expr, false);
          break;
        case "Tpl":
          if (e.exprs.length === 0) { P("\""); P(e.quasis[0]); P("\""); break; }
          for (let i = 0; i < e.exprs.length; i++) find(e.exprs[i], true);
          break;
        case "Tagged": callNode(e, e.tag, e.quasi.exprs, true); break;
        case "Arr":
          P("[");
          for (let i = 0; i < e.elems.length; i++) {
            if (i !== 0) P(",");
            const el = e.elems[i];
            if (el !== null && el.t === "Spread" && !found && position === v8pos(el.arg)) {
              found = true;
              isIteratorError = true;
              find(el.arg, true);
              done = true;
              depth--;
              return;
            }
            if (el === null) { if (found) { P("(intermediate value)"); } continue; }
            find(el, true);
          }
          P("]");
          break;
        case "Obj":
          P("{");
          for (let i = 0; i < e.props.length; i++) {
            const p = e.props[i];
            find(p.kind === "spread" ? p.value.arg : p.value, false);
          }
          P("}");
          break;
        case "Member": {
          const key = e.computed ? e.key : null;
          if (!e.computed && !e.priv) {
            find(e.obj, true);
            if (e.optional) P("?");
            P(".");
            P(e.prop);
          } else if (e.computed && key.t === "Lit" && key.kind === "str") {
            find(e.obj, true);
            if (e.optional) P("?");
            P(".");
            P(key.value);
          } else {
            find(e.obj, true);
            if (e.optional) P("?.");
            P("[");
            if (e.priv) P(e.prop); else find(key, true);
            P("]");
          }
          break;
        }
        case "Call": callNode(e, e.callee, e.args, false); break;
        case "New": {
          let wasFound = false;
          if (e.pos === position) {
            if (mode === "spread" && e.args.length && e.args[e.args.length - 1].t === "Spread") {
              found = true;
              spreadArg = e.args[e.args.length - 1].arg;
              find(spreadArg, true);
              done = true;
              found = false;
              break;
            }
            isCallError = true;
            wasFound = !found;
          }
          if (wasFound) found = true;
          find(e.callee, wasFound || isIteratorError);
          findArguments(e.args);
          if (wasFound) { done = true; found = false; }
          break;
        }
        case "Unary":
          if (isNegNumber(e)) { P(StringCtor(-e.arg.value)); break; }
          P("(");
          P(e.op);
          if (e.op === "delete" || e.op === "typeof" || e.op === "void") P(" ");
          find(e.arg, true);
          P(")");
          break;
        case "Update":
          P("(");
          if (e.prefix) P(e.op);
          find(e.arg, true);
          if (!e.prefix) P(e.op);
          P(")");
          break;
        case "Bin": case "Logic": {
          const o = e.op;
          const compare = o === "==" || o === "!=" || o === "===" || o === "!==" || o === "<" || o === ">" || o === "<=" ||
            o === ">=" || o === "in" || o === "instanceof";
          if (!compare && o !== "**") {
            // NaryOperation: a chain of the same operator
            const chain = [e];
            let x = e.left;
            while ((x.t === "Bin" || x.t === "Logic") && x.op === o && !x.paren) { chain[chain.length] = x; x = x.left; }
            P("(");
            find(x, true);
            for (let i = chain.length - 1; i >= 0; i--) { P(" "); P(o); P(" "); find(chain[i].right, true); }
            P(")");
            break;
          }
          P("(");
          find(e.left, true);
          P(" "); P(o); P(" ");
          find(e.right, true);
          P(")");
          break;
        }
        case "Seq":
          P("(");
          for (let i = 0; i < e.exprs.length; i++) { if (i) { P(" "); P(","); P(" "); } find(e.exprs[i], true); }
          P(")");
          break;
        case "Cond": find(e.test, false); find(e.cons, false); find(e.alt, false); break;
        case "Assign": assignment(e.target, e.value, e.pos); break;
        case "Spread": P("(..."); find(e.arg, true); P(")"); break;
        case "Await": find(e.arg, false); break;
        case "Yield":
          if (e.delegate && !found && e.arg !== null && position === v8pos(e.arg)) { found = true; isIteratorError = true; P("yield* "); }
          if (e.arg !== null) find(e.arg, false);
          break;
        case "ImportCall": P("ImportCall("); if (e.args.length) find(e.args[0], true); P(")"); break;
        default: break;
      }
      depth--;
    }
    function printFlags(flags) {
      const order = "dgilmsuvy";
      for (let i = 0; i < order.length; i++) {
        const f = apply(stringSlice, order, [i, i + 1]);
        for (let j = 0; j < flags.length; j++) if (apply(stringSlice, flags, [j, j + 1]) === f) { P(f); break; }
      }
    }
    function callNode(e, callee, args, tagged) {
      let wasFound = false;
      if (e.pos === position) {
        if (mode === "spread" && !tagged && args.length && args[args.length - 1].t === "Spread") {
          found = true;
          spreadArg = args[args.length - 1].arg;
          find(spreadArg, true);
          done = true;
          found = false;
          return;
        }
        isCallError = true;
        wasFound = !found;
      }
      if (wasFound) found = true;
      if (callee.t === "Super" && !tagged) P("super"); else find(callee, true);
      if (!wasFound && !isIteratorError) P("(...)");
      findArguments(args);
      if (wasFound) { done = true; found = false; }
    }
    // V8's VisitAssignment (its destructuring checks); `value` null: the value is the
    // variable named `valueName` (V8's temporary of a for-of loop).
    function assignment(targetNode, value, pos, valueName) {
      let wasFound = false;
      const t = targetNode;
      if (t.t === "Obj") {
        if (t.s === position) { wasFound = !found; found = true; destrAssign = t; }
        else {
          for (let i = 0; i < t.props.length; i++) {
            const pr = t.props[i];
            const pv = pr.kind === "spread" ? pr.value : pr.value;
            const pvPos = pv.t === "Assign" && pv.op === "=" ? -1 : v8pos(pv);
            if (pvPos === position) { wasFound = !found; found = true; destrProp = pr; destrAssign = t; break; }
          }
        }
      }
      if (!wasFound) {
        if (found) { find(t, true); return; }
        find(t, false);
        if (t.t === "Arr") {
          let wf = false;
          if (value !== null && v8pos(value) === position) { isIteratorError = true; wf = !found; found = true; }
          if (value !== null) find(value, true);
          if (wf) { done = true; found = false; }
        } else if (value !== null) find(value, false);
      } else {
        if (value !== null) find(value, true); else P(valueName);
      }
      if (wasFound) { done = true; found = false; }
    }
    if (fnNode.t === "Script") findStatements(fnNode.body);
    else if (fnNode.body !== null) {
      // parameter patterns come first, as V8's desugared initialization
      for (let i = 0; i < fnNode.params.length && !done; i++) {
        const t = stripDefault(fnNode.params[i].t === "Spread" ? fnNode.params[i].arg : fnNode.params[i]);
        if (isPattern(t)) assignment(t, null, -1, "");
      }
      findStatements(fnNode.body);
    } else if (fnNode.expr !== null) {
      for (let i = 0; i < fnNode.params.length && !done; i++) {
        const t = stripDefault(fnNode.params[i].t === "Spread" ? fnNode.params[i].arg : fnNode.params[i]);
        if (isPattern(t)) assignment(t, null, -1, "");
      }
      find(fnNode.expr, false);
    }
    let hint = "none";
    if (isCallError) hint = isIteratorError ? "call-iterator" : "none";
    else if (isIteratorError) hint = "iterator";
    return { __proto__: null, text: out, hint, destrProp, destrAssign, spreadArg, isCallError };
  }

  // ---- the lookup ----------------------------------------------------------------------------
  function utf8Length(c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : (c >= 0xd800 && c <= 0xdfff) ? 2 : 3; }

  // The source index QuickJS means by (line, byte column), or -1 before the handler's source.
  function qIndex(src, prog, line, col) {
    const starts = prog.lineStarts;
    if (line < 1 || line > starts.length || col < 1) return -1;
    const ls = starts[line - 1];
    const end = line < starts.length ? starts[line] : src.length;
    let bytes = 1, i = ls;
    while (bytes < col && i < end) { bytes += utf8Length(src.charCodeAt(i)); i++; }
    return i;
  }
  function byteColumn(src, from, to) {
    let b = 1;
    for (let i = from; i < to; i++) b += utf8Length(src.charCodeAt(i));
    return b;
  }
  function lineColumn(prog, idx) {
    const starts = prog.lineStarts;
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= idx) lo = mid; else hi = mid - 1; }
    return { __proto__: null, line: lo + 1, column: idx - starts[lo] + 1 };
  }

  // The function (or the script) QuickJS reports a frame of: the innermost one around the
  // position, preferring one whose name matches the frame's.
  function enclosingFunction(prog, idx, name) {
    const fns = prog.fns;
    let best = null, named = null;
    for (let i = 0; i < fns.length; i++) {
      const f = fns[i];
      if (f.s <= idx && idx < f.e && (best === null || f.s >= best.s)) best = f;
    }
    // walk outwards for a name match
    let f = best;
    while (f !== null && f.t === "Fn") {
      if (functionName(f) === name) { named = f; break; }
      f = f.parentFn;
    }
    if (named !== null) return named;
    if (name !== "" && name !== null) {
      // QuickJS places some functions (class methods) elsewhere: the function of that name
      const line = lineColumn(prog, idx).line;
      let byName = null;
      for (let i = 0; i < fns.length; i++) {
        if (functionName(fns[i]) !== name) continue;
        if (byName === null || lineColumn(prog, fns[i].s).line === line) byName = fns[i];
      }
      if (byName !== null) return byName;
    }
    return best === null ? prog : best;
  }
  function functionName(f) {
    if (f.name !== null) return f.name.name;
    if (f.inferred !== undefined) return f.inferred;
    return "";
  }

  function qMatches(src, prog, ev, line, col, idx) {
    if (ev === null) return idx === -1;
    if (ev.line !== line) return false;
    const ls = prog.lineStarts[line - 1];
    if (ev.eol === -2 || ev.eol === ls - 1) return ev.mk === idx;
    return byteColumn(src, ev.eol + 1, ev.mk) === col;
  }

  // What is known about the operations QuickJS may have stopped at, at one frame position:
  // plain records (no tree nodes), so that they can be kept.
  function siteOps(src, prog, line, col, fname, byKey) {
    const idx = qIndex(src, prog, line, col);
    const fnNode = idx === -1 ? prog : enclosingFunction(prog, idx, fname);
    const qops = quickjsWalk(fnNode);
    const matched = [];
    // a position outside the function is its own start, wherever QuickJS put that
    const atStart = fnNode.t === "Fn" && !(fnNode.s <= idx && idx < fnNode.e);
    for (let i = 0; i < qops.length; i++) {
      const o = qops[i];
      if (byKey === null ? (atStart ? o.q === fnNode.q : qMatches(src, prog, o.q, line, col, idx))
        : (o.key === byKey.key && kindsInclude(byKey.kinds, o.kind))) {
        matched[matched.length] = o;
        if (byKey !== null) break;
      }
    }
    const out = [];
    if (matched.length === 0) return out;
    const vops = v8Walk(fnNode);
    function v8op(kind, node) {
      for (let j = 0; j < vops.length; j++) if (vops[j].node === node && vops[j].kind === kind) return vops[j];
      return null;
    }
    for (let i = 0; i < matched.length; i++) {
      const m = matched[i];
      let v = v8op(m.kind, m.node);
      // QuickJS checks an object pattern's value first; V8 fails at its first property
      if (v === null && m.kind === "destr" && m.node.props.length) v = v8op(m.node.props[0].kind === "spread" ? "destrRest" : "destrGet", m.node.props[0]);
      if (v === null && m.kind === "spreadCall") v = v8op("iter", m.node);
      if (v === null) continue;
      const lc = lineColumn(prog, v.pos);
      const r = { __proto__: null, kind: m.kind, key: m.key, line: lc.line, column: lc.column, text: "", hint: "none",
        spreadText: "", destrFound: false, destrProp: null, className: null, rightPrimitive: false, callable: false, callee: null, path: null,
        inKey: null, inValue: null, args: null, argTypes: null };
      if (m.kind === "call" && m.node.t === "Call") {
        r.callable = surelyCallable(fnNode, m.node.callee);
        r.callee = terminalName(m.node.callee);
      } else if (m.kind === "new") r.callee = terminalName(m.node.callee);
      else if (m.kind === "call" && m.node.t === "Tagged") r.callee = terminalName(m.node.tag);
      if (m.kind === "call" && m.node.t === "Call") r.path = calleePath(m.node.callee);
      if (m.kind === "new") r.path = calleePath(m.node.callee);
      if ((m.kind === "call" && m.node.t === "Call") || m.kind === "new") {
        const a = m.node.args;
        r.args = [a.length > 0 ? argumentText(a[0]) : "undefined", a.length > 1 ? argumentText(a[1]) : "undefined",
          a.length > 2 ? argumentText(a[2]) : "undefined"];
        r.argTypes = [a.length > 0 ? argumentType(a[0]) : "undefined", a.length > 1 ? argumentType(a[1]) : "undefined"];
      }
      const pr = printCall(fnNode, v.pos, "normal");
      r.text = pr.text;
      r.hint = pr.hint;
      if (pr.destrAssign !== null) {
        r.destrFound = true;
        const dp = pr.destrProp;
        if (dp !== null && dp.kind !== "spread" && !dp.computed) r.destrProp = dp.key.kind === "num" ? StringCtor(dp.key.value) : dp.key.value;
      }
      if (m.kind === "spreadCall") r.spreadText = printCall(fnNode, v.pos, "spread").text;
      if (m.kind === "delete") r.key = m.key;
      if (m.kind === "destrGet" && !m.node.computed) r.key = m.node.key.kind === "num" ? StringCtor(m.node.key.value) : m.node.key.value;
      if (m.kind === "destr" && m.node.props.length && !m.node.props[0].computed && m.node.props[0].kind !== "spread") {
        const k0 = m.node.props[0].key;
        r.key = k0.kind === "num" ? StringCtor(k0.value) : k0.value;
      }
      if (fnNode.t === "Fn" && fnNode.inClass !== undefined && fnNode.inClass.name !== null) r.className = fnNode.inClass.name.name;
      if (m.kind === "bin" && m.node.t === "Bin") {
        const rt = m.node.right;
        r.rightPrimitive = !(rt.t === "Obj" || rt.t === "Arr" || rt.t === "Regex" || rt.t === "Class");
        if (m.node.op === "in") {
          // V8 quotes the key and the value searched; QuickJS says neither. The key is known when
          // written out; the value (a primitive) when written out, else taken to be undefined,
          // by far the most common case (a missing field).
          r.inKey = literalText(m.node.left);
          r.inValue = literalText(rt);
          if (r.inValue === null) r.inValue = "undefined";
        }
      }
      out[out.length] = r;
    }
    return out;
  }

  // ---- the API -------------------------------------------------------------------------------
  // A cache of what was found at each frame position, for the one source analysed last.
  let cacheSource = null;
  let cache = new MapCtor();
  const CACHE_MAX = 256;
  let program = null;

  function programFor(src) {
    if (program === null || programSource !== src) { program = parse(src); programSource = src; }
    return program;
  }
  let programSource = null;

  // The line starts of a source (native searches: fast on any size).
  const indexOf = P.indexOf;
  function lineStartsOf(src) {
    const starts = [0];
    for (let i = apply(indexOf, src, ["\n", 0]); i !== -1; i = apply(indexOf, src, ["\n", i + 1])) starts[starts.length] = i + 1;
    return starts;
  }
  // Lines that may begin a statement, from `line` upwards, within WINDOW_CHARS: the first
  // character is not one that continues an expression, and the line before ends a statement
  // or opens or closes a block.
  function windowStarts(src, starts, line) {
    const out = [];
    const limit = starts[line - 1] - WINDOW_CHARS;
    for (let l = line; l >= 1 && out.length < 4 && starts[l - 1] >= limit; l--) {
      const first = firstChar(src, starts, l);
      if (first === -1 || ".,)]+-*%&|?:=<>!^~".indexOf(fromCharCode(first)) !== -1) continue;
      if (l > 1) {
        let p = l - 1;
        while (p >= 1 && firstChar(src, starts, p) === -1) p--;
        if (p >= 1) {
          const last = lastChar(src, starts, p);
          if (last !== 59 && last !== 123 && last !== 125) continue;
        }
      }
      out[out.length] = l;
    }
    return out;
  }
  function firstChar(src, starts, l) {
    const end = l < starts.length ? starts[l] - 1 : src.length;
    for (let i = starts[l - 1]; i < end; i++) { const c = apply(charCodeAt, src, [i]); if (c !== 32 && c !== 9 && c !== 13) return c; }
    return -1;
  }
  function lastChar(src, starts, l) {
    const end = l < starts.length ? starts[l] - 1 : src.length;
    for (let i = end - 1; i >= starts[l - 1]; i--) { const c = apply(charCodeAt, src, [i]); if (c !== 32 && c !== 9 && c !== 13) return c; }
    return -1;
  }
  // The analysis of a large source: windows tried from the nearest start up, the first whose
  // parse covers the position and finds QuickJS's operation there.
  function windowOps(src, line, col, fname, byKey) {
    const starts = lineStartsOf(src);
    if (line < 1 || line > starts.length) return null;
    const idx = qIndex(src, { __proto__: null, lineStarts: starts }, line, col);
    const cands = windowStarts(src, starts, line);
    for (let i = 0; i < cands.length; i++) {
      let prog;
      try {
        prog = parse(src, false, { __proto__: null, from: starts[cands[i] - 1], line: cands[i], until: idx });
      } catch (e) {
        if (e === BAIL) continue;
        throw e;
      }
      if (!(prog.e > idx)) continue;
      prog.lineStarts = starts;
      const ops = siteOps(src, prog, line, col, fname, byKey);
      if (ops.length) return ops;
    }
    return null;
  }

  // The operations at a frame: [{kind, key, line, column, ...}] (kept small: what describe()
  // needs later), or null when the source cannot be analysed.
  // byKey ({kinds, key}): the first such operation in the frame's function, wherever QuickJS
  // placed the error (it reports some, a constant's assignment, at the next statement).
  function site(src, line, col, fname, byKey) {
    if (src.length > MAX_SOURCE) return null;
    if (src !== cacheSource) { cacheSource = src; apply(mapClear, cache, []); }
    const k = line + ":" + col + ":" + fname + (byKey === null ? "" : ":" + byKey.key);
    const hit = apply(mapGet, cache, [k]);
    if (hit !== undefined) return hit;
    let result = null;
    try {
      let whole = null;
      if (src.length <= FULL_PARSE) {
        try { whole = programFor(src); } catch (e) { if (e !== BAIL) throw e; }
      }
      result = whole !== null ? siteOps(src, whole, line, col, fname, byKey) : windowOps(src, line, col, fname, byKey);
    } catch (e) {
      result = null;
    }
    if (apply(mapSize, cache, []) >= CACHE_MAX) apply(mapClear, cache, []);
    apply(mapSet, cache, [k, result]);
    return result;
  }


  // ---- V8's words -------------------------------------------------------------------------
  const CALLISH = ["call", "new", "get", "set", "iterNext", "iter", "spreadCall", "bin", "tpl", "destrGet", "unary", "await",
    "destr", "var", "assignvar", "delete", "yield"];
  const RE_READ = /^cannot read property '(.*)' of (undefined|null)$/s;
  const RE_SET = /^cannot set property '(.*)' of (undefined|null)$/s;
  const RE_NOT_DEFINED = /^(.*) is not defined$/s;
  const RE_NOT_INITIALIZED = /^(.*) is not initialized$/s;
  const RE_READ_ONLY = /^'(.*)' is read-only$/s;
  const RE_NOT_CTOR = /^(?:.* )?not a constructor$/s;
  const RE_PRIVATE = /^private class field '(.*)' does not exist$/s;
  function exec(re, text) { return apply(regexpExec, re, [text]); }

  // What a QuickJS message says about the failed operation: the kinds of operation that raise
  // it (preferred first) and the property or variable it names.
  function kind(what, kinds, key, value) { return { __proto__: null, what, kinds, key, value }; }
  // Messages QuickJS words the same whatever failed.
  const EXACT = { __proto__: null,
    "not a function": kind("not-function", ["call", "iter", "new"], null),
    "not a constructor": kind("not-constructor", ["new"], null),
    "Cannot convert undefined or null to object": kind("to-object", ["destr", "destrGet", "delete", "destrRest"], null),
    "value is not iterable": kind("not-iterable", ["iter", "spreadCall"], null),
    "cannot convert BigInt to number": kind("bigint", ["bin", "unary"], null),
    "bigint argument with unary +": kind("bigint", ["unary", "bin"], null),
    "cannot convert symbol to number": kind("symbol-number", ["bin", "unary"], null),
    "cannot convert symbol to string": kind("symbol-string", ["bin", "tpl"], null),
    "Cannot convert a Symbol value to a string": kind("symbol-string", ["bin", "tpl"], null),
    "invalid 'in' operand": kind("in", ["bin"], null),
    "invalid 'instanceof' right operand": kind("instanceof", ["bin"], null),
    "invalid brand on object": kind("brand", ["get", "call"], null),
    "no setter for property": kind("getter-only", ["set"], null),
    "object is not extensible": kind("not-extensible", ["set"], null),
    "invalid array length": kind("array-length", ["set", "new", "call"], null),
    "could not delete property": kind("delete-strict", ["delete"], null),
  };
  function classify(message) {
    const exact = EXACT[message];
    if (exact !== undefined) return exact;
    let m;
    const c0 = message.length ? apply(charCodeAt, message, [0]) : 0;
    if (c0 === 99) {   // "cannot ..."
      if ((m = exec(RE_READ, message)) !== null) {
        if (m[1] === "Symbol.iterator") return kind("iterator-nullish", ["iter", "spreadCall", "get"], "Symbol.iterator", m[2]);
        return kind("read", ["get", "destrGet"], m[1], m[2]);
      }
      if ((m = exec(RE_SET, message)) !== null) return kind("set", ["set"], m[1], m[2]);
      return null;
    }
    if (c0 === 39) {   // "'x' is read-only"
      if ((m = exec(RE_READ_ONLY, message)) !== null) return kind("read-only", ["assignvar", "set"], m[1]);
      return null;
    }
    if (c0 === 112) {  // "private class field ..."
      if ((m = exec(RE_PRIVATE, message)) !== null) return kind("private", ["get", "set"], m[1]);
      return null;
    }
    if (endsWith(message, " is not defined") && (m = exec(RE_NOT_DEFINED, message)) !== null) return kind("not-defined", ["var", "assignvar"], m[1]);
    if (endsWith(message, " is not initialized") && (m = exec(RE_NOT_INITIALIZED, message)) !== null) return kind("tdz", ["var", "assignvar"], m[1]);
    if (endsWith(message, " not a constructor")) return kind("not-constructor", ["new"], null);
    return null;
  }
  function endsWith(text, tail) {
    return text.length >= tail.length && apply(stringSlice, text, [text.length - tail.length]) === tail;
  }

  // The operation QuickJS failed at among those at its position: of the first of `kinds` that
  // has one, naming `key` (one whose key is only known at run time if none does), and not a
  // call of something surely callable if there is another; the deepest destructuring pattern
  // (a nested pattern's value is missing more often than the whole value).
  function pick(ops, kinds, key, callee) {
    if (callee !== undefined && callee !== null && callee !== "") {
      // an error from a built-in (or a function) called here: the call of it
      for (let i = 0; i < ops.length; i++) {
        const o = ops[i];
        if ((o.kind === "call" || o.kind === "new") && o.callee === callee && kindsInclude(kinds, o.kind)) return o;
      }
    }
    for (let pass = 0; pass < 4; pass++) {
      const o = pick1(ops, kinds, key, pass < 2, (pass & 1) === 0);
      if (o !== null) return o;
    }
    return null;
  }
  function pick1(ops, kinds, key, strict, exactKey) {
    for (let k = 0; k < kinds.length; k++) {
      let chosen = null;
      for (let i = 0; i < ops.length; i++) {
        const o = ops[i];
        if (o.kind !== kinds[k]) continue;
        if (strict && o.callable) continue;
        if (key !== null && KEYED[o.kind] === 1 && (exactKey ? o.key !== key : (o.key !== null && o.key !== key))) continue;
        if (o.kind === "destr") { chosen = o; continue; }
        return o;
      }
      if (chosen !== null) return chosen;
    }
    return null;
  }
  const KEYED = { __proto__: null, get: 1, set: 1, var: 1, assignvar: 1, destrGet: 1 };

  function iteratorWords(o, fallback) {
    if (o.text !== "") {
      if (o.hint === "iterator") return o.text + " is not iterable";
      if (o.hint === "call-iterator") return o.text + " is not a function or its return value is not iterable";
    }
    return fallback + " is not iterable (cannot read property Symbol(Symbol.iterator))";
  }

  // V8's message for the operation `o` that QuickJS failed with `c` (classify()), or null.
  function v8Message(c, o) {
    switch (c.what) {
      case "iterator-nullish":
        if (o.kind === "spreadCall") return (o.spreadText || c.value) + " is not iterable (cannot read property " + c.value + ")";
        return iteratorWords(o, c.value === "null" ? "object null" : "undefined");
      case "read":
        if (o.kind === "destrGet") return destructureWords(o, c.value);
        return null;
      case "not-function":
        if (o.kind === "iter") return iteratorWords(o, "object");
        if (o.text === "") return null;
        if (o.kind === "new") return o.text + " is not a constructor";
        if (o.hint === "call-iterator") return o.text + " is not a function or its return value is not iterable";
        if (o.hint === "iterator") return o.text + " is not iterable";
        return o.text + " is not a function";
      case "not-constructor":
        return o.text === "" ? null : o.text + " is not a constructor";
      case "tdz": return "Cannot access '" + c.key + "' before initialization";
      case "read-only":
        if (o.kind === "assignvar") return "Assignment to constant variable.";
        return "Cannot assign to read only property '" + c.key + "' of object '#<Object>'";
      case "to-object":
        if (o.kind === "destr" || o.kind === "destrGet" || o.kind === "destrRest") return destructureWords(o, "undefined");
        return null;
      case "not-iterable":
        if (o.kind === "spreadCall") return "Spread syntax requires ...iterable[Symbol.iterator] to be a function";
        return iteratorWords(o, "object");
      case "bigint":
        return o.kind === "unary" ? "Cannot convert a BigInt value to a number" : "Cannot mix BigInt and other types, use explicit conversions";
      case "symbol-number": return "Cannot convert a Symbol value to a number";
      case "symbol-string": return "Cannot convert a Symbol value to a string";
      case "array-length": return "Invalid array length";
      case "delete-strict": return o.key === null ? null : "Cannot delete property '" + o.key + "' of #<Object>";
      case "in":
        return o.inKey === null ? null : "Cannot use 'in' operator to search for '" + o.inKey + "' in " + o.inValue;
      case "instanceof":
        return o.rightPrimitive ? "Right-hand side of 'instanceof' is not an object" : "Right-hand side of 'instanceof' is not callable";
      case "private":
        return o.kind === "set" ? "Cannot write private member " + c.key + " to an object whose class did not declare it"
          : "Cannot read private member " + c.key + " from an object whose class did not declare it";
      case "brand":
        return o.className === null ? null : "Receiver must be an instance of class " + o.className;
      case "getter-only":
        return o.key === null ? null : "Cannot set property " + o.key + " of #<Object> which has only a getter";
      case "not-extensible":
        return o.key === null ? null : "Cannot add property " + o.key + ", object is not extensible";
      default: return null;
    }
  }

  function destructureWords(o, value) {
    if (!o.destrFound) return o.key === null ? null : "Cannot read properties of " + value + " (reading '" + o.key + "')";
    const what = o.text === "" ? value : o.text;
    if (o.destrProp !== null) return "Cannot destructure property '" + o.destrProp + "' of '" + what + "' as it is " + value + ".";
    return "Cannot destructure '" + what + "' as it is " + value + ".";
  }

  const CLASS_CALL = "class constructors must be invoked with 'new'";

  // Built-ins' errors whose words do not depend on the argument: by QuickJS's message, or by
  // the built-in's name (its frame) and message, or by the path it was called by.
  const BUILTIN_MESSAGES = { __proto__: null,
    "BigInt division by zero": "Division by zero",
    "BigInt operands are forbidden for >>>": "BigInts have no unsigned right shift, use >> instead",
    "cannot convert BigInt to number": "Cannot convert a BigInt value to a number",
    "cannot convert symbol to number": "Cannot convert a Symbol value to a number",
    "invalid string length": "Invalid string length",
    "invalid value used as WeakMap key": "Invalid value used as weak map key",
    "invalid value used as WeakSet key": "Invalid value used in weak set",
    "not a Date object": "this is not a Date object.",
  };
  const BUILTIN_BY_NAME = { __proto__: null,
    "replaceAll|regexp must have the 'g' flag": "String.prototype.replaceAll called with a non-global RegExp argument",
    "matchAll|regexp must have the 'g' flag": "String.prototype.matchAll called with a non-global RegExp argument",
    "startsWith|regexp not supported": "First argument to String.prototype.startsWith must not be a regular expression",
    "endsWith|regexp not supported": "First argument to String.prototype.endsWith must not be a regular expression",
    "includes|regexp not supported": "First argument to String.prototype.includes must not be a regular expression",
    "sort|not a function": "The comparison function must be either a function or undefined",
    "toSorted|not a function": "The comparison function must be either a function or undefined",
    "asIntN|invalid array index": "Invalid value: not (convertible to) a safe integer",
    "asUintN|invalid array index": "Invalid value: not (convertible to) a safe integer",
    "ArrayBuffer|invalid array index": "Invalid array buffer length",
    "Proxy|not an object": "Cannot create proxy with a non-object as target or handler",
    "toFixed|not a number": "Number.prototype.toFixed requires that 'this' be a Number",
    "toPrecision|not a number": "Number.prototype.toPrecision requires that 'this' be a Number",
    "toExponential|not a number": "Number.prototype.toExponential requires that 'this' be a Number",
    "valueOf|not a number": "Number.prototype.valueOf requires that 'this' be a Number",
    "apply|not a object": "CreateListFromArrayLike called on non-object",
  };
  const BUILTIN_BY_PATH = { __proto__: null,
    "Object.getPrototypeOf|not an object": "Cannot convert undefined or null to object",
    "Object.defineProperty|not an object": "Object.defineProperty called on non-object",
    "Object.defineProperties|not an object": "Object.defineProperties called on non-object",
    "Reflect.get|not an object": "Reflect.get called on non-object",
    "Reflect.set|not an object": "Reflect.set called on non-object",
    "Reflect.has|not an object": "Reflect.has called on non-object",
    "Reflect.ownKeys|not an object": "Reflect.ownKeys called on non-object",
    "Reflect.defineProperty|not an object": "Reflect.defineProperty called on non-object",
    "Reflect.deleteProperty|not an object": "Reflect.deleteProperty called on non-object",
    "Reflect.getOwnPropertyDescriptor|not an object": "Reflect.getOwnPropertyDescriptor called on non-object",
    "Reflect.getPrototypeOf|not an object": "Reflect.getPrototypeOf called on non-object",
    "Reflect.setPrototypeOf|not an object": "Reflect.setPrototypeOf called on non-object",
    "Reflect.isExtensible|not an object": "Reflect.isExtensible called on non-object",
    "Reflect.preventExtensions|not an object": "Reflect.preventExtensions called on non-object",
  };
  // Built-in errors whose V8 words quote an argument: when the call writes it out.
  const CALLBACK_TAKERS = { __proto__: null, map: 1, forEach: 1, filter: 1, find: 1, findIndex: 1, findLast: 1, findLastIndex: 1,
    some: 1, every: 1, reduce: 1, reduceRight: 1, flatMap: 1 };
  const ITERABLE_TAKERS = { __proto__: null, Set: 1, Map: 1, WeakSet: 1, WeakMap: 1, fromEntries: 1 };
  const TYPED_ARRAYS = { __proto__: null, Int8Array: 1, Uint8Array: 1, Uint8ClampedArray: 1, Int16Array: 1, Uint16Array: 1,
    Int32Array: 1, Uint32Array: 1, Float32Array: 1, Float64Array: 1, BigInt64Array: 1, BigUint64Array: 1 };
  function argumentWords(name, message, o) {
    const a = o.args, types = o.argTypes;
    if (message === "not a function") {
      if (CALLBACK_TAKERS[name] === 1 && a[0] !== null) return a[0] + " is not a function";
      if (name === "Promise" && o.kind === "new" && a[0] !== null) return "Promise resolver " + a[0] + " is not a function";
      if ((name === "call" || name === "apply" || name === "bind") && o.text !== "") return o.text + " is not a function";
      return null;
    }
    if (message === "value is not iterable" && ITERABLE_TAKERS[name] === 1 && a[0] !== null && types[0] !== null && types[0] !== "string") {
      return types[0] + " " + a[0] + " is not iterable (cannot read property Symbol(Symbol.iterator))";
    }
    if (o.path === "Object.defineProperty" || o.path === "Reflect.defineProperty") {
      if (message === "property is not configurable" && a[1] !== null) return "Cannot redefine property: " + a[1];
      if (message === "object is not extensible" && a[1] !== null) return "Cannot define property " + a[1] + ", object is not extensible";
      if (message === "Property description must be an object" && a[2] !== null) return "Property description must be an object: " + a[2];
    }
    if ((o.path === "Object.create" && (message === "object prototype may only be an Object or null" || message === "not an object")) && a[0] !== null) {
      return "Object prototype may only be an Object or null: " + a[0];
    }
    if (o.path === "Object.setPrototypeOf" && message === "not an object" && a[1] !== null) return "Object prototype may only be an Object or null: " + a[1];
    if (name === "keyFor" && message === "not a symbol" && a[0] !== null) return a[0] + " is not a symbol";
    if (TYPED_ARRAYS[name] === 1 && message === "invalid array index" && a[0] !== null && types[0] === "number") return "Invalid typed array length: " + a[0];
    if (name === "RegExp" && a[0] !== null) return regexpWords(message, a[0], a[1] === "undefined" ? "" : a[1]);
    return null;
  }
  // QuickJS's regular expression errors in V8's words.
  const REGEXP_WORDS = { __proto__: null, "expecting ')'": "Unterminated group", "nothing to repeat": "Nothing to repeat",
    "extraneous characters at the end": "Unmatched ')'", "invalid class range": "Range out of order in character class",
    "invalid group": "Invalid group", "invalid group name": "Invalid capture group name",
    "duplicate group name": "Duplicate capture group name", "group name not defined": "Invalid named capture referenced",
    "invalid decimal escape in regular expression": "Invalid decimal escape", "too many captures": "Too many captures",
    "unknown unicode property name": "Invalid property name", "unknown unicode property value": "Invalid property name",
    "unknown unicode script": "Invalid property name", "unknown unicode general category": "Invalid property name",
    "expecting '{' after \\p": "Invalid property name", "back reference out of range in regular expression": "Invalid escape",
    "invalid repetition count": "numbers out of order in {} quantifier",
  };
  function regexpWords(message, pattern, flags) {
    if (flags === null) return null;
    if (message === "invalid regular expression flags") return "Invalid flags supplied to RegExp constructor '" + flags + "'";
    let words = REGEXP_WORDS[message];
    if (message === "unexpected end") words = endsWithBackslash(pattern) ? "\\ at end of pattern" : unclosedClass(pattern) ? "Unterminated character class" : undefined;
    if (message === "invalid escape sequence in regular expression") words = hasChar(flags, 117) || hasChar(flags, 118) ? "Invalid Unicode escape" : "Invalid escape";
    return words === undefined ? null : "Invalid regular expression: /" + pattern + "/" + flags + ": " + words;
  }
  function hasChar(text, code) {
    for (let i = 0; i < text.length; i++) if (apply(charCodeAt, text, [i]) === code) return true;
    return false;
  }
  function endsWithBackslash(p) {
    let n = 0;
    for (let i = p.length - 1; i >= 0 && apply(charCodeAt, p, [i]) === 92; i--) n++;
    return (n & 1) === 1;
  }
  function unclosedClass(p) {
    let inClass = false;
    for (let i = 0; i < p.length; i++) {
      const c = apply(charCodeAt, p, [i]);
      if (c === 92) { i++; continue; }
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
    }
    return inClass;
  }

  function builtinWords(frames, top, message, o) {
    if (top > 0) {
      const name = frames[0].name;
      if (message === "out of bound" && name.length > 3 && (apply(stringSlice, name, [0, 3]) === "get" || apply(stringSlice, name, [0, 3]) === "set")) {
        return "Offset is outside the bounds of the DataView";
      }
      if (message === "null or undefined are forbidden" && name !== "") return "String.prototype." + name + " called on null or undefined";
      const byName = BUILTIN_BY_NAME[name + "|" + message];
      if (byName !== undefined) return byName;
      if (o !== null && o.path !== null) {
        const byPath = BUILTIN_BY_PATH[o.path + "|" + message];
        if (byPath !== undefined) return byPath;
      }
      // a built-in that is not a constructor, called with `new`
      if (message === "not a constructor" && o !== null && o.kind === "new" && o.text !== "") return o.text + " is not a constructor";
      if (o !== null && o.args !== null) {
        const withArgs = argumentWords(name, message, o);
        if (withArgs !== null) return withArgs;
      }
    }
    const any = BUILTIN_MESSAGES[message];
    return any === undefined ? null : any;
  }

  // For an error with QuickJS's `message` and stack `frames` ([{line, col, name, handler}],
  // innermost first; line/col of handler frames as QuickJS reports them, relative to the
  // handler's source): V8's message (null: keep QuickJS's) and, per frame, V8's position
  // ({line, column}), null (unknown: keep QuickJS's) or "drop" (V8 has no such frame).
  // Answers given during one event, by message and frame positions (they are cleared for the
  // next event: a hit must tell nothing about an earlier event's data).
  let answers = new MapCtor();
  let answersEvent = -1;
  const ANSWERS_MAX = 64;

  function describe(src, frames, message, open, event, errorClass) {
    if (event !== answersEvent) { answersEvent = event; apply(mapClear, answers, []); program = null; programSource = null; }
    // QuickJS's own messages are short: a long one is the handler's, and only placed
    if (typeof message !== "string" || message.length > 512) message = null;
    let key = (message === null ? "\u0000" : message) + "\u0000" + errorClass;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      key += f.handler ? "|" + f.line + ":" + f.col + ":" + f.name : "|";
    }
    const known = apply(mapGet, answers, [key]);
    if (known !== undefined) return known;
    const result = describe1(src, frames, message, open, errorClass);
    if (apply(mapSize, answers, []) >= ANSWERS_MAX) apply(mapClear, answers, []);
    apply(mapSet, answers, [key, result]);
    return result;
  }

  function describe1(src, frames, message, open, errorClass) {
    const positions = [];
    for (let i = 0; i < frames.length; i++) positions[i] = null;
    const result = { __proto__: null, message: null, positions };
    if (typeof src !== "string" || src.length > MAX_SOURCE || (open && !pristine())) return result;
    try {
      let top = -1;
      for (let i = 0; i < frames.length; i++) if (frames[i].handler) { top = i; break; }
      if (top === -1) return result;
      let c = top === 0 && typeof message === "string" ? classify(message) : null;
      if (top === 0 && message === CLASS_CALL && frames.length > 1 && frames[1].handler) {
        // QuickJS fails inside the class's constructor; V8 at the call, with no frame for it
        positions[0] = "drop";
        const o = pick(siteOrEmpty(src, frames[1]), ["call", "new"], null);
        if (o !== null) positions[1] = { __proto__: null, line: o.line, column: o.column };
        result.message = "Class constructor " + frames[0].name + " cannot be invoked without 'new'";
        for (let i = 2; i < frames.length; i++) if (frames[i].handler) positions[i] = callPosition(src, frames[i]);
        return result;
      }
      const ops = siteOrEmpty(src, frames[top]);
      let o = null;
      if (c !== null) o = pick(ops, c.kinds, c.key);
      if (o === null && c !== null && c.key !== null && (c.what === "read-only" || c.what === "tdz" || c.what === "not-defined")) {
        o = pick(siteOrEmpty(src, frames[top], { __proto__: null, kinds: c.kinds, key: c.key }), c.kinds, c.key);
      }
      // an error the handler made (`new RangeError(...)`): the construction of its class
      if (o === null) o = pick(ops, top === 0 ? ["new", "call"] : CALLISH, null, top === 0 ? errorClass : frames[top - 1].name);
      if (o === null && top === 0) o = pick(ops, CALLISH, null);
      if (o !== null) {
        positions[top] = { __proto__: null, line: o.line, column: o.column };
        if (c !== null) {
          const words = kindsInclude(c.kinds, o.kind) ? v8Message(c, o) : null;
          if (words !== null) result.message = words;
        }
      }
      if (result.message === null && typeof message === "string") result.message = builtinWords(frames, top, message, o);
      for (let i = top + 1; i < frames.length; i++) if (frames[i].handler) positions[i] = callPosition(src, frames[i], frames[i - 1].name);
    } catch (e) {
      // keep QuickJS's words and positions
    }
    return result;
  }

  // The built-ins the analysis calls directly (with the handler's built-ins open they may have
  // been replaced): it runs only while they are the originals, and no index of an array or
  // object can reach a handler's accessor.
  function pristine() {
    if (StringProto.charCodeAt !== charCodeAt || StringProto.slice !== stringSlice) return false;
    return !hasIndexKey(ArrayProto) && !hasIndexKey(ObjectProto);
  }
  function hasIndexKey(o) {
    const ks = ownKeys(o);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      if (typeof k === "string" && k.length && apply(charCodeAt, k, [0]) >= 48 && apply(charCodeAt, k, [0]) <= 57) return true;
    }
    return false;
  }
  function kindsInclude(kinds, k) { for (let i = 0; i < kinds.length; i++) if (kinds[i] === k) return true; return false; }
  function siteOrEmpty(src, f, byKey) { const r = site(src, f.line, f.col, f.name, byKey === undefined ? null : byKey); return r === null ? [] : r; }
  function callPosition(src, f, callee) {
    const o = pick(siteOrEmpty(src, f), CALLISH, null, callee);
    return o === null ? null : { __proto__: null, line: o.line, column: o.column };
  }

  // ---- JSON.parse: V8's message for text it rejects ------------------------------------------
  // V8's JsonParser reports the first unexpected token, some with a message of their own; the
  // rest as "Unexpected token" with the text (whole when short, else 10 characters around).
  // null when V8 would accept the text (the error was another one: a reviver's, a limit).
  const AFTER_JSON = "Unexpected non-whitespace character after JSON";
  const JSON_SPECIAL = { __proto__: null, "[object Object]": 1, "undefined": 1, "Infinity": 1, "NaN": 1 };
  function jsonError(text) {
    if (typeof text !== "string") return null;
    const n = text.length;
    let i = 0;
    let failure = null;
    function cc(k) { return k < n ? apply(charCodeAt, text, [k]) : -1; }
    function ws() { for (;;) { const c = cc(i); if (c === 32 || c === 9 || c === 10 || c === 13) i++; else return; } }
    function tokenKind(c) {
      if (c === -1) return "eos";
      if (c === 34) return "string";
      if (c === 45 || (c >= 48 && c <= 57)) return "number";
      return "other";
    }
    // ReportUnexpectedToken at position i: `message` overrides the token's own words.
    function unexpected(message) {
      if (failure !== null) return;
      if (message !== null) { failure = message + (message === AFTER_JSON ? " at position " : " in JSON at position ") + i; return; }
      const kind = tokenKind(cc(i));
      if (kind === "eos") failure = "Unexpected end of JSON input";
      else if (kind === "number") failure = "Unexpected number in JSON at position " + i;
      else if (kind === "string") failure = "Unexpected string in JSON at position " + i;
      else if (JSON_SPECIAL[text] === 1) failure = "\"" + text + "\" is not valid JSON";
      else {
        const ch = fromCharCode(cc(i));
        if (n <= 20) failure = "Unexpected token '" + ch + "', \"" + text + "\" is not valid JSON";
        else if (i < 10) failure = "Unexpected token '" + ch + "', \"" + apply(stringSlice, text, [0, i + 10]) + "\"... is not valid JSON";
        else if (i < n - 10) failure = "Unexpected token '" + ch + "', ...\"" + apply(stringSlice, text, [i - 10, i + 10]) + "\"... is not valid JSON";
        else failure = "Unexpected token '" + ch + "', ...\"" + apply(stringSlice, text, [i - 10]) + "\" is not valid JSON";
      }
    }
    function isDigit(c) { return c >= 48 && c <= 57; }
    function isHex(c) { return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102); }
    function string() {
      i++;   // the opening quote
      for (;;) {
        const c = cc(i);
        if (c === -1) { unexpected("Unterminated string"); return false; }
        if (c === 34) { i++; return true; }
        if (c < 0x20) { unexpected("Bad control character in string literal"); return false; }
        if (c === 92) {
          i++;
          const d = cc(i);
          if (d === -1) { unexpected(null); return false; }
          if (d === 117) {
            for (let k = 0; k < 4; k++) { i++; if (!isHex(cc(i))) { unexpected("Bad Unicode escape"); return false; } }
          } else if (!(d === 34 || d === 92 || d === 47 || d === 98 || d === 102 || d === 110 || d === 114 || d === 116)) {
            unexpected("Bad escaped character");
            return false;
          }
        }
        i++;
      }
    }
    function number() {
      let c = cc(i);
      if (c === 45) {
        i++;
        c = cc(i);
        if (!isDigit(c)) { unexpected("No number after minus sign"); return false; }
      }
      if (c === 48) {
        i++;
        if (isDigit(cc(i))) { unexpected(null); return false; }
      } else while (isDigit(cc(i))) i++;
      if (cc(i) === 46) {
        i++;
        if (!isDigit(cc(i))) { unexpected("Unterminated fractional number"); return false; }
        while (isDigit(cc(i))) i++;
      }
      if ((cc(i) | 32) === 101) {
        i++;
        if (cc(i) === 43 || cc(i) === 45) i++;
        if (!isDigit(cc(i))) { unexpected("Exponent part is missing a number"); return false; }
        while (isDigit(cc(i))) i++;
      }
      return true;
    }
    function literal(word) {
      for (let k = 0; k < word.length; k++) {
        if (cc(i) !== apply(charCodeAt, word, [k])) { unexpected(null); return false; }
        i++;
      }
      return true;
    }
    // containers: "a" (array element) or "o" (object property); first: the first member yet
    const stack = [];
    for (;;) {
      // produce a value
      let produced = false;
      while (!produced) {
        ws();
        const c = cc(i);
        if (c === 34) { if (!string()) return failure; produced = true; }
        else if (c === 45 || isDigit(c)) { if (!number()) return failure; produced = true; }
        else if (c === 123) {
          i++;
          ws();
          if (cc(i) === 125) { i++; produced = true; continue; }
          if (cc(i) !== 34) { unexpected("Expected property name or '}'"); return failure; }
          if (!string()) return failure;
          ws();
          if (cc(i) !== 58) { unexpected("Expected ':' after property name"); return failure; }
          i++;
          stack[stack.length] = 1;   // object
        } else if (c === 91) {
          i++;
          ws();
          if (cc(i) === 93) { i++; produced = true; continue; }
          stack[stack.length] = 2;   // array
        } else if (c === 116) { if (!literal("true")) return failure; produced = true; }
        else if (c === 102) { if (!literal("false")) return failure; produced = true; }
        else if (c === 110) { if (!literal("null")) return failure; produced = true; }
        else { unexpected(null); return failure; }
      }
      // consume it
      for (;;) {
        if (stack.length === 0) {
          ws();
          if (i < n) { unexpected(AFTER_JSON); return failure; }
          return null;
        }
        const top = stack[stack.length - 1];
        ws();
        if (cc(i) === 44) {
          i++;
          if (top === 1) {
            ws();
            if (cc(i) !== 34) { unexpected("Expected double-quoted property name"); return failure; }
            if (!string()) return failure;
            ws();
            if (cc(i) !== 58) { unexpected(null); return failure; }
            i++;
          }
          break;   // produce the next member
        }
        if (top === 1) {
          if (cc(i) !== 125) { unexpected("Expected ',' or '}' after property value"); return failure; }
        } else if (cc(i) !== 93) { unexpected("Expected ',' or ']' after array element"); return failure; }
        i++;
        stack.length = stack.length - 1;
      }
    }
  }

  // ---- JSON.stringify: V8's message for a circular structure ----------------------------------
  // The path to the first cycle in serialization order, walked on own data properties only
  // (getters and toJSON are not run again; an object with a toJSON is not entered).
  const getOwnDesc = P.getOwnPropertyDescriptor;
  const getProto = P.getPrototypeOf;
  const isArray = P.isArray;
  function constructorName(o) {
    if (isArray(o)) return "Array";
    let proto;
    try { proto = getProto(o); } catch (e) { return "Object"; }
    if (proto === null) return "Object";
    const d = getOwnDesc(proto, "constructor");
    if (d === undefined || !("value" in d) || typeof d.value !== "function") return "Object";
    const nd = getOwnDesc(d.value, "name");
    return nd !== undefined && "value" in nd && typeof nd.value === "string" && nd.value !== "" ? nd.value : "Object";
  }
  function hasToJSON(o) {
    let x = o;
    for (let k = 0; k < 64 && x !== null; k++) {
      const d = getOwnDesc(x, "toJSON");
      if (d !== undefined) return true;
      x = getProto(x);
    }
    return false;
  }
  function circularMessage(root) {
    try {
      const objects = [], keys = [];
      const MAX = 100000;
      let visited = 0;
      function walk(o, key) {
        if (++visited > MAX) bail();
        for (let k = 0; k < objects.length; k++) {
          if (objects[k] === o) return circularText(objects, keys, k, key);
        }
        if (objects.length > MAX_DEPTH * 4) bail();
        objects[objects.length] = o;
        keys[keys.length] = key;
        if (isArray(o)) {
          const ld = getOwnDesc(o, "length");
          const len = ld !== undefined && "value" in ld ? ld.value : 0;
          for (let i = 0; i < len; i++) {
            const d = getOwnDesc(o, StringCtor(i));
            if (d === undefined || !("value" in d)) continue;
            const r = child(d.value, i);
            if (r !== null) return r;
          }
        } else {
          const ks = ownKeys(o);
          for (let i = 0; i < ks.length; i++) {
            if (typeof ks[i] !== "string") continue;
            const d = getOwnDesc(o, ks[i]);
            if (d === undefined || !d.enumerable || !("value" in d)) continue;
            const r = child(d.value, ks[i]);
            if (r !== null) return r;
          }
        }
        objects.length = objects.length - 1;
        keys.length = keys.length - 1;
        return null;
      }
      function child(v, key) {
        if (v === null || typeof v !== "object") return null;
        if (hasToJSON(v)) return null;
        return walk(v, key);
      }
      if (root === null || typeof root !== "object") return null;
      return walk(root, "");
    } catch (e) {
      return null;
    }
  }
  function circularKey(k) {
    if (typeof k === "number") return "index " + k;
    return k === "" ? "<anonymous>" : "property '" + k + "'";
  }
  function circularText(objects, keys, start, lastKey) {
    let text = "Converting circular structure to JSON\n    --> starting at object with constructor '" + constructorName(objects[start]) + "'";
    const size = objects.length;
    let index = start + 1;
    const prefixEnd = index + 2 < size ? index + 2 : size;
    for (; index < prefixEnd; index++) text += "\n    |     " + circularKey(keys[index]) + " -> object with constructor '" + constructorName(objects[index]) + "'";
    if (size > index + 1) text += "\n    |     ...";
    if (index < size - 1) index = size - 1;
    for (; index < size; index++) text += "\n    |     " + circularKey(keys[index]) + " -> object with constructor '" + constructorName(objects[index]) + "'";
    return text + "\n    --- " + circularKey(lastKey) + " closes the circle";
  }

  // ---- syntax errors: V8's words and place for what QuickJS rejected ------------------------
  // From QuickJS's message and position (the token it stopped at): V8 reports the same token
  // in words of its own, some with a context (inside a call's arguments, after `await`...), some
  // at the token or construct before. Returns {message, line, column} or null.
  const STRICT_RESERVED = { __proto__: null, implements: 1, interface: 1, let: 1, package: 1, private: 1, protected: 1,
    public: 1, static: 1, yield: 1 };
  const SYNTAX_SAME_WORDS = { __proto__: null,
    "return not in a function": "Illegal return statement",
    "break must be inside loop or switch": "Illegal break statement",
    "continue must be inside loop": "Illegal continue statement: no surrounding iteration statement",
    "Octal literals are not allowed in strict mode": "Octal literals are not allowed in strict mode.",
    "invalid keyword: with": "Strict mode code may not include a with statement",
    "new.target only allowed within functions": "new.target expression is not allowed here",
    "property constructor appears more than once": "A class may only have one constructor",
    "'super' is only valid in a method": "'super' keyword unexpected here",
    "invalid variable name in strict mode": "Unexpected eval or arguments in strict mode",
    "unparenthesized unary expression can't appear on the left-hand side of '**'":
      "Unary operator used immediately before exponentiation expression. Parenthesis must be used to disambiguate operator precedence",
  };
  function syntaxWords(src, message, line, col) {
    try {
      if (typeof src !== "string" || src.length > MAX_SOURCE) return null;
      const lexed = parse(src, true);
      const tokens = lexed.tokens;
      const prog = { __proto__: null, lineStarts: lexed.lineStarts };
      const idx = qIndex(src, prog, line, col);
      // A lexer stopped by its token budget short of the error knows nothing of it.
      if (lexed.truncated === true || tokens.length === 0) return null;
      let k = 0;
      while (k < tokens.length - 1 && tokens[k].e <= idx && tokens[k].s < idx) k++;
      const cur = tokens[k];
      const prev = k > 0 ? tokens[k - 1] : null;
      const strict = /^\s*(["'])use strict\1/.test(src);
      function at(tok, words) {
        const lc = lineColumn(prog, tok.t === T_EOF ? src.length : tok.s);
        return { __proto__: null, message: words, line: lc.line, column: lc.column };
      }
      const same = SYNTAX_SAME_WORDS[message];
      if (same !== undefined) {
        // V8 places these at the keyword or name QuickJS has just read
        if (message === "return not in a function") return at(cur, same);
        if (message === "property constructor appears more than once" || message === "'super' is only valid in a method") {
          const word = message === "'super' is only valid in a method" ? "super" : "constructor";
          for (let j = k; j >= 0; j--) if (tokens[j].t === T_NAME && tokens[j].v === word) return at(tokens[j], same);
          return at(cur, same);
        }
        if (message === "unparenthesized unary expression can't appear on the left-hand side of '**'") return at(expressionStart(tokens, k), same);
        if (message.indexOf("must be inside") !== -1 || message === "continue must be inside loop" || message === "invalid variable name in strict mode") {
          return prev !== null ? at(prev, same) : at(cur, same);
        }
        return at(cur, same);
      }
      if (message === "break/continue label not found" && cur.t === T_NAME) return at(cur, "Undefined label '" + cur.v + "'");
      if (message === "break/continue label not found" && prev !== null && prev.t === T_NAME) return at(prev, "Undefined label '" + prev.v + "'");
      if (message === "invalid redefinition of lexical identifier" || message === "invalid redefinition of global identifier" ||
          message === "invalid redefinition of parameter name") {
        for (let j = k; j >= 0; j--) {
          const tk = tokens[j];
          if (tk.t === T_NAME && KEYWORDS[tk.v] !== 1 && !(j + 1 < tokens.length && tokens[j + 1].t === T_PUNCT && tokens[j + 1].v === ".")) {
            if (j > 0 && tokens[j - 1].t === T_NAME && tokens[j - 1].v === "class") return at(tokens[j - 1], "Identifier '" + tk.v + "' has already been declared");
            if (j < k || tk.s < idx) return at(tk, "Identifier '" + tk.v + "' has already been declared");
          }
        }
        return null;
      }
      if (message === "missing initializer for variable") {
        let j = k - 1;
        while (j > 0 && !(tokens[j].t === T_NAME && (tokens[j].v === "const" || tokens[j].v === "let" || tokens[j].v === "var"))) j--;
        const decl = tokens[j];
        const first = tokens[j + 1];
        const pattern = first !== undefined && first.t === T_PUNCT && (first.v === "{" || first.v === "[");
        return at(prev !== null ? (pattern ? first : prev) : cur, pattern ? "Missing initializer in destructuring declaration"
          : decl !== undefined && decl.v === "const" ? "Missing initializer in const declaration" : "Missing initializer in destructuring declaration");
      }
      if (message === "invalid assignment left-hand side") {
        // QuickJS stops after the operator; V8 places it at the target's start
        let j = k;
        while (j > 0 && !(tokens[j].t === T_PUNCT && ASSIGN[tokens[j].v] === 1)) j--;
        return at(expressionStart(tokens, j), "Invalid left-hand side in assignment");
      }
      if (message === "invalid increment/decrement operand") {
        const op = cur.t === T_PUNCT && (cur.v === "++" || cur.v === "--") ? k : k - 1;
        const postfix = op > 0 && !(tokens[op - 1].t === T_PUNCT && ";{}(,=".indexOf(tokens[op - 1].v) !== -1 && tokens[op - 1].v.length === 1);
        return postfix ? at(expressionStart(tokens, op), "Invalid left-hand side expression in postfix operation")
          : at(tokens[op], "Invalid left-hand side expression in prefix operation");
      }
      if (message === "invalid number of arguments for getter or setter") {
        let j = k;
        while (j > 0 && !(tokens[j].t === T_PUNCT && tokens[j].v === "(")) j--;
        let w = j - 1;
        while (w > 0 && !(tokens[w].t === T_NAME && (tokens[w].v === "get" || tokens[w].v === "set"))) w--;
        return at(tokens[j], tokens[w].v === "get" ? "Getter must not have any formal parameters." : "Setter must have exactly one formal parameter.");
      }
      if (message === "unexpected end of string") {
        // an unterminated string (V8: an illegal token) or template (V8 reads on to the end)
        const tk = cur.t === -1 ? cur : tokenAtIndex(tokens, idx);
        if (tk !== null && apply(charCodeAt, src, [tk.s]) === 96) return at({ t: T_EOF, s: src.length }, "Unexpected end of input");
        return at(tk === null ? cur : tk, "Invalid or unexpected token");
      }
      if (message === "unexpected end of comment") {
        // at the comment's start: after the last token read
        let from = 0;
        for (let j = tokens.length - 1; j >= 0; j--) if (tokens[j].t !== -1 && tokens[j].t !== T_EOF) { from = tokens[j].e; break; }
        for (let j = from; j < src.length - 1; j++) {
          if (apply(charCodeAt, src, [j]) === 47 && apply(charCodeAt, src, [j + 1]) === 42) return at({ t: -1, s: j }, "Invalid or unexpected token");
        }
        return at(cur, "Invalid or unexpected token");
      }
      if (message === "Duplicate parameter name not allowed in this context") {
        // at the second occurrence of the name, in the parameter list before QuickJS's position
        let open = k;
        while (open > 0 && !(tokens[open].t === T_PUNCT && tokens[open].v === "(")) open--;
        const seen = new MapCtor();
        for (let j = open + 1; j < tokens.length && !(tokens[j].t === T_PUNCT && tokens[j].v === ")"); j++) {
          if (tokens[j].t !== T_NAME) continue;
          if (apply(mapGet, seen, [tokens[j].v]) !== undefined) return at(tokens[j], message);
          apply(mapSet, seen, [tokens[j].v, 1]);
        }
        return null;
      }
      if (!genericUnexpected(message)) return null;
      // an unexpected token: V8's words by the token, and some contexts
      if (prev !== null && prev.t === T_NAME && prev.v === "await" && cur.t !== T_EOF) {
        return at(prev, "await is only valid in async functions and the top level bodies of modules");
      }
      if (prev !== null && prev.t === T_NAME && prev.v === "import" && (k < 2 || statementBoundary(tokens[k - 2])) &&
          (cur.t === T_NAME || cur.t === T_STR || (cur.t === T_PUNCT && (cur.v === "{" || cur.v === "*")))) {
        return at(prev, "Cannot use import statement outside a module");
      }
      const argStart = openArgument(tokens, k);
      if (argStart !== null) return at(argStart, "missing ) after argument list");
      return at(cur, unexpectedWords(cur, strict));
    } catch (e) {
      return null;
    }
  }
  function tokenAtIndex(tokens, idx) {
    for (let j = 0; j < tokens.length; j++) if (tokens[j].s === idx) return tokens[j];
    return null;
  }
  function genericUnexpected(m) {
    return m === "variable name expected" || m === "unexpected character" || apply(stringSlice, m, [0, 10]) === "expecting " ||
      apply(stringSlice, m, [0, 17]) === "unexpected token " || apply(stringSlice, m, [0, 16]) === "unexpected token" ||
      apply(stringSlice, m, [0, 11]) === "Unexpected " || apply(stringSlice, m, [0, 20]) === "unsupported keyword:";
  }
  function statementBoundary(tk) {
    return tk.t === T_PUNCT && (tk.v === ";" || tk.v === "{" || tk.v === "}");
  }
  function unexpectedWords(cur, strict) {
    switch (cur.t) {
      case T_EOF: return "Unexpected end of input";
      case T_NUM: return "Unexpected number";
      case T_STR: return "Unexpected string";
      case T_TPL: return "Unexpected template string";
      case -1: return "Invalid or unexpected token";
      case T_PRIV: return "Unexpected identifier '" + cur.v + "'";
      case T_REGEX: return "Unexpected regular expression";
      case T_NAME:
        if (KEYWORDS[cur.v] === 1) return "Unexpected token '" + cur.v + "'";
        if (strict && STRICT_RESERVED[cur.v] === 1) return "Unexpected strict mode reserved word";
        return "Unexpected identifier '" + cur.v + "'";
      default: {
        const c = cur.v.length === 1 ? apply(charCodeAt, cur.v, [0]) : 0;
        // characters that start no token of JavaScript
        if (cur.v === "@" || cur.v === "#" || cur.v === "\\" || c >= 128) return "Invalid or unexpected token";
        return "Unexpected token '" + cur.v + "'";
      }
    }
  }
  // The start of the expression ending just before token k (back over balanced brackets, to
  // the token that cannot be part of it).
  function expressionStart(tokens, k) {
    let j = k - 1, depth = 0;
    for (; j >= 0; j--) {
      const tk = tokens[j];
      if (tk.t === T_PUNCT) {
        const v = tk.v;
        if (v === ")" || v === "]" || v === "}") { depth++; continue; }
        if (v === "(" || v === "[" || v === "{") { if (depth === 0) break; depth--; continue; }
        if (depth === 0 && (v === ";" || v === "," || v === "=" || v === ":" || v === "?" || v === "=>" || ASSIGN[v] === 1)) break;
      } else if (tk.t === T_NAME && depth === 0 && (tk.v === "return" || tk.v === "throw" || tk.v === "case" || tk.v === "else" ||
                 tk.v === "do")) break;
    }
    return tokens[j + 1];
  }
  // When token k follows an argument inside a call's parentheses: that argument's first token.
  function openArgument(tokens, k) {
    const stack = [];   // {call, arg}
    for (let j = 0; j < k; j++) {
      const tk = tokens[j];
      if (tk.t !== T_PUNCT) continue;
      const v = tk.v;
      if (v === "(" || v === "[" || v === "{") {
        const p = j > 0 ? tokens[j - 1] : null;
        const call = v === "(" && p !== null && ((p.t === T_NAME && (KEYWORDS[p.v] !== 1 || p.v === "super" || p.v === "import")) ||
          (p.t === T_PUNCT && (p.v === ")" || p.v === "]" || p.v === "?.")) || p.t === T_TPL);
        stack[stack.length] = { __proto__: null, call, arg: j + 1 };
      } else if (v === ")" || v === "]" || v === "}") {
        if (stack.length) stack.length = stack.length - 1;
      } else if (v === "," && stack.length) stack[stack.length - 1].arg = j + 1;
    }
    if (stack.length === 0) return null;
    const top = stack[stack.length - 1];
    if (!top.call || top.arg >= k) return null;
    let a = top.arg;
    if (tokens[a].t === T_PUNCT && tokens[a].v === "...") a++;
    return a < k ? tokens[a] : null;
  }

  return { __proto__: null, describe, jsonError, circularMessage, syntaxWords };
})
