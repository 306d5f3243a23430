// @samples payment.succeeded
// Errors as logged, where the text does not depend on stack frames (frames are the engine's).
function handler(webhook) {
  const bare = (e, extra) => Object.assign(e, { stack: e.name + ": " + e.message }, extra);
  console.log(bare(new Error("m")), [bare(new TypeError("t"))], { e: bare(new RangeError("r")) });
  console.log(bare(new Error("with props"), { code: "E_BAD", status: 500 }));
  console.log(bare(new Error("outer", { cause: "inner" })));
  const e = new Error("x"); e.stack = ""; console.log(e);
  const f = new Error("custom"); f.stack = "custom stack text"; console.log(f);
  try { null.x; } catch (err) { console.log(err.name, err.message, String(err)); console.error("Failed:", err.message); }
  try { JSON.parse("{"); } catch (err) { console.log(err.message); }
  try { undefined.foo(); } catch (err) { console.log(`Error: ${err}`); }
  class ValidationError extends Error { constructor(m) { super(m); this.name = "ValidationError"; this.field = "x"; } }
  const ve = new ValidationError("bad");
  console.log(ve.name, String(ve), Object.keys(ve), ve instanceof Error);
  console.log(JSON.stringify(new Error("j")), JSON.stringify({ e: new Error("j") }));
  try { throw { code: 1 }; } catch (err) { console.log(err); }
  return webhook;
}
