"""Lazily compiled files of the compat layer.

QuickJS compiles a script's every function when it evaluates it, and compiling is most of what a
context pays for the layer. A file that starts with the header below is not compiled with the
rest: its text travels as a string, and it is compiled (with the Function constructor captured
before any handler ran) on the first call of one of its exports, which are then plain functions
of the layer's scope (stubs that forward to the compiled module):

    // @lazy
    // @imports: name, name, ...   (the layer's bindings the file uses, passed in at first use)
    // @exports: name, name, ...   (its function declarations the layer calls)

`lazyModule` (intl_locale.js) is the loader.
"""

from __future__ import annotations

import json
import re

_HEADER = re.compile(r"\A// @lazy\n// @imports:(?P<imports>[^\n]*)\n// @exports:(?P<exports>[^\n]*)\n")


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def emit(name: str, text: str) -> str:
    """The text to concatenate for one file: itself, or a lazy file's loader and stubs."""
    m = _HEADER.match(text)
    if m is None:
        return text
    imports, exports = _names(m.group("imports")), _names(m.group("exports"))
    var = "LAZY_" + re.sub(r"\W", "_", name)
    body = text[m.end():] + "\nreturn {" + ", ".join(exports) + "};"
    lines = [f"// {name}: compiled on first use (see lazyjs.py)",
             f"const {var} = lazyModule({json.dumps(body, ensure_ascii=False)}, {json.dumps(imports)}, "
             f"() => [{', '.join(imports)}]);"]
    lines += [f"function {e}() {{ return reflectApply({var}().{e}, undefined, arguments); }}" for e in exports]
    return "\n".join(lines)
