// JSON.parse's errors, caught and returned: V8's messages quote the text.
function handler(webhook) {
  const texts = ["", "{", "{\"a\": 1", "[1,]", "{'a': 1}", "tru", "01", "1.", "\"abc", "{\"a\":1} x", "undefined",
    "<html><body>Bad Gateway</body></html>", JSON.stringify(webhook.payload).slice(0, 60) + "}}", "[1, 2, 3, oops]"];
  const out = {};
  for (const t of texts) {
    try { JSON.parse(t); out[t] = "ok"; } catch (e) { out[t] = e.name + ": " + e.message; }
  }
  webhook.payload = out;
  return webhook;
}
