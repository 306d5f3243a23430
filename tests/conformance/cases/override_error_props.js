// @samples payment.succeeded dispute.opened
// Errors: name, message, toString, constructor, cause on instances; custom error classes.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("name", () => { const e = new Error("m"); e.name = "PaymentError"; return e.name + " | " + String(e) + " | " + e.toString(); });
  t("message", () => { const e = new TypeError(); e.message = "set later"; return String(e); });
  t("range_name", () => { const e = new RangeError("x"); e.name = "Custom"; return `${e}`; });
  t("toString", () => { const e = new Error("q"); e.toString = () => "custom text"; return String(e) + " " + e; });
  t("constructor", () => { const e = new Error("c"); e.constructor = "x"; return e.constructor; });
  t("class", () => { class ValidationError extends Error { constructor(m) { super(m); this.name = "ValidationError"; } } const e = new ValidationError("bad"); return String(e) + " " + (e instanceof Error); });
  t("class_field_name", () => { class E2 extends Error { name = "E2"; } return String(new E2("m")); });
  t("function_style", () => { function LegacyError(m) { this.message = m; } LegacyError.prototype = Object.create(Error.prototype, { name: { value: "LegacyError" }, constructor: { value: LegacyError } }); return String(new LegacyError("old")); });
  t("thrown", () => { try { const e = new Error("thrown"); e.name = "Thrown"; throw e; } catch (e) { return e.name + ":" + e.message; } });
  t("keys", () => { const e = new Error("k"); e.name = "N"; e.code = 42; return Object.keys(e).join(","); });
  t("json", () => { const e = new Error("j"); e.name = "J"; e.message = "msg"; return JSON.stringify(e); });
  t("aggregate", () => { const e = new AggregateError([1], "agg"); e.name = "Agg"; return String(e) + " " + e.errors.length; });
  t("error_proto_untouched", () => Error.prototype.name + "/" + TypeError.prototype.name + "/" + JSON.stringify(Error.prototype.message));
  console.log(r.name);
  if (webhook.payload.type === "dispute.opened") {
    const e = new Error("dispute " + webhook.payload.data.dispute_id);
    e.name = "DisputeError";
    r.dispute = String(e) + " " + Object.prototype.toString.call(e);
  }
  webhook.payload = r;
  return webhook;
}
