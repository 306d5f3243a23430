"""The Python rendering of JSON.stringify(JSON.parse(text)) equals V8's, byte for byte."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner.engine.js_stringify import normalize
from tests.conftest import SAMPLES
from tests.support.v8 import NODE

TRICKY = [
    '{"a":1.0,"b":1E5,"c":-0,"d":1e21,"e":1e-7,"f":123456789012345678901234567890,"g":0.1,"h":1e400}',
    '{"x":5e-324,"y":1.7976931348623157e308,"z":-1.5e-10,"w":100,"v":1e20,"u":123e-20,"t":0.000001}',
    '{"b":1,"2":2,"a":3,"1":4,"01":5,"4294967294":6,"4294967295":7,"-1":8}',
    '{"s":"caf\\u00e9 \\ud83d\\ude00 \\ud800 \\u2028 \\u0001 \\u007f \\/ \\"q\\" \\\\"}',
    '{"a":1,"a":2,"b":{"a":[1,{"c":null}],"d":true,"e":false}}',
    '{"__proto__":{"x":1},"constructor":1}',
    '[1,"2",[3.50,[],{}],null]',
    '"plain"', "42", "-0.0", "true",
    '  {\n  "pretty": [ 1 , 2 ],\n "x" : "y"\n}\n',
]


def v8_normalize(texts: list[str]) -> list[str]:
    script = ("let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{"
              "process.stdout.write(JSON.stringify(JSON.parse(s).map(t=>JSON.stringify(JSON.parse(t)))))})")
    out = subprocess.run([NODE, "-e", script], input=json.dumps(texts), capture_output=True, text=True, check=True,
                         env=dict(os.environ, TZ="UTC"))
    return json.loads(out.stdout)


@pytest.fixture(scope="module", autouse=True)
def needs_node():
    if NODE is None:
        pytest.skip("node is not installed: the V8 comparison cannot run")


def test_tricky_documents_match_v8():
    texts = TRICKY + [p.read_text("utf-8") for p in SAMPLES]
    assert [normalize(t) for t in texts] == v8_normalize(texts)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**25), max_value=10**25)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=25, deadline=None)
@given(st.lists(json_values, min_size=80, max_size=80))
def test_random_documents_match_v8(values):
    texts = [json.dumps(v) for v in values]
    assert [normalize(t) for t in texts] == v8_normalize(texts)
