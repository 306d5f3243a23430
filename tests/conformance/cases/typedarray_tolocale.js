// @samples payment.succeeded
// %TypedArray%.prototype.toLocaleString and Array.prototype.toLocaleString pass locales and
// options to each element, as V8 does.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("f64de", () => new Float64Array([1234.5, 0.25]).toLocaleString("de-DE"));
  t("u8", () => new Uint8Array([1, 2, 3]).toLocaleString());
  t("i32inr", () => new Int32Array([1000000, -5]).toLocaleString("en-IN", { style: "currency", currency: "INR" }));
  t("big", () => new BigInt64Array([12345678901n, -1n]).toLocaleString("de"));
  t("f32", () => new Float32Array([1.1, 2.5]).toLocaleString("fr"));
  t("special", () => new Float64Array([NaN, Infinity, -0, -Infinity]).toLocaleString("fr"));
  t("empty", () => new Uint16Array([]).toLocaleString());
  t("maxFrac", () => new Float64Array([1234.5678]).toLocaleString("de-DE", { maximumFractionDigits: 1 }));
  t("badOpt", () => new Float64Array([1, 2]).toLocaleString("en", { style: "bogus" }));
  t("pct", () => new Float32Array([0.5, 0.125]).toLocaleString("en", { style: "percent", maximumFractionDigits: 1 }));
  for (const [k, v] of Object.entries({ arr: [1], obj: {}, num: 1, nul: null, undef: undefined, str: "x", view: new DataView(new ArrayBuffer(1)) })) {
    t("recv:" + k, () => Object.getPrototypeOf(Uint8Array.prototype).toLocaleString.call(v));
  }
  t("shape", () => { const T = Object.getPrototypeOf(Uint8Array.prototype); return [T.toLocaleString.length, T.toLocaleString.name,
    Uint8Array.prototype.toLocaleString === T.toLocaleString, Uint8Array.prototype.hasOwnProperty("toLocaleString"), Array.prototype.toLocaleString.length].join(); });
  t("array", () => [1234.5, null, undefined, 2, "x", new Date(0)].toLocaleString("de-DE", { timeZone: "UTC" }));
  t("arrayDates", () => [new Date(Date.UTC(2024, 4, 1))].toLocaleString("en-GB", { dateStyle: "long", timeZone: "UTC" }));
  t("arrayMoney", () => [9.99, 1250].toLocaleString("ja-JP", { style: "currency", currency: "JPY" }));
  t("nested", () => [[1000.5, 2], [3000]].toLocaleString("de"));
  t("cycle", () => { const a = [1, 2]; a.push(a); return a.toLocaleString("en"); });
  t("arrayLike", () => Array.prototype.toLocaleString.call({ length: 2, 0: 1500, 1: 2.5 }, "fr"));
  t("nullThis", () => Array.prototype.toLocaleString.call(null));
  webhook.payload = r;
  return webhook;
}
