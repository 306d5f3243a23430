function handler(webhook) {
  const out = {};
  for (const v of [1.5, "12.5", "abc", undefined, NaN]) {
    try { out[String(v)] = String(BigInt(v)); } catch (e) { out[String(v)] = e.name + ": " + e.message; }
  }
  webhook.payload = out;
  return webhook;
}
