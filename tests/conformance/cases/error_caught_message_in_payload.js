// Handlers that catch and report e.message see V8's words.
function handler(webhook) {
  const d = webhook.payload.data;
  const errors = [];
  const attempt = (label, f) => { try { f(); } catch (e) { errors.push(label + " -> " + e.constructor.name + ": " + e.message); } };
  attempt("read", () => d.shipping.address);
  attempt("set", () => { d.shipping.address = 1; });
  attempt("call", () => d.currency.toLowerCase().trim().format());
  attempt("method", () => d.customer.name());
  attempt("index", () => d.product_cart[9].quantity);
  attempt("new", () => new d.customer.email());
  attempt("iterate", () => { for (const x of d.customer) errors.push(x); });
  attempt("destructure", () => { const { a } = d.nothing; return a; });
  attempt("not defined", () => missingHelper(d));
  attempt("reduce", () => [].reduce((a, b) => a + b));
  attempt("array", () => new Array(-1));
  attempt("bigint", () => 1n + d.total_amount);
  attempt("repeat", () => "x".repeat(-1));
  attempt("json", () => JSON.parse(d.currency));
  attempt("toFixed", () => (1).toFixed(101));
  attempt("date", () => new Date(d.nothing).toISOString());
  attempt("keys", () => Object.keys(d.nothing));
  webhook.payload = { errors };
  return webhook;
}
