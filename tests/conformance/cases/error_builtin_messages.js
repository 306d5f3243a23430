// Built-ins' errors, caught: V8's words where QuickJS has its own.
function handler(webhook) {
  const d = webhook.payload.data;
  const out = {};
  const t = (k, f) => { try { out[k] = String(f()); } catch (e) { out[k] = e.name + ": " + e.message; } };
  t("codepoint", () => String.fromCodePoint(d.total_amount ? -d.total_amount : NaN));
  t("weakmap", () => new WeakMap([[1, 2]]));
  t("startsWith", () => d.currency.startsWith(/U/));
  t("replaceAll", () => d.currency.replaceAll(/U/, "u"));
  t("sort", () => [3, 1, 2].sort("desc"));
  t("bigintDiv", () => 1n / 0n);
  t("symbol", () => Symbol("s") * 2);
  t("proxy", () => new Proxy({}, null));
  t("define", () => Object.defineProperty(d.nothing, "x", {}));
  t("dateThis", () => Date.prototype.getTime.call({}));
  t("padStart", () => "x".padStart(Infinity));
  t("newSymbol", () => new Symbol());
  t("trimNull", () => String.prototype.trim.call(null));
  out.typeofBigInt = typeof BigInt + BigInt.name + BigInt.length + (1n).constructor.name;
  webhook.payload = out;
  return webhook;
}
