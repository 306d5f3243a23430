// @samples payment.succeeded refund.succeeded
// printf-style placeholders, as util.format reads them.
function handler(webhook) {
  const d = webhook.payload.data;
  console.log("%s|%s|%s|%s|%s|%s|%s", "str", 42, -0, 10n, null, undefined, Symbol("q"));
  console.log("%s|%s|%s", { a: { b: 1 } }, [1, [2]], { toString() { return "custom"; } });
  class T { toString() { return "T!"; } } class U {}
  console.log("%s %s %s %s", new T(), new U(), new Date(0), function named() {});
  console.log("%d|%d|%d|%d|%d|%d|%d", 42, "42", 1.5, 10n, {}, "abc", { valueOf() { return 7; } });
  console.log("%i|%i|%i|%i|%i", 42.9, "42.9px", -1.5, 10n, "0x1F");
  console.log("%f|%f|%f|%f", "3.5", 1, "x", "1e3");
  const cj = {}; cj.cj = cj;
  console.log("%j|%j|%j|%j", { a: [1] }, "s", cj, undefined);
  console.log("%o", { a: [1, 2], n: { deep: { deeper: { deepest: { bottom: 1 } } } } });
  console.log("%O", { a: { b: { c: { d: 1 } } } });
  console.log("%cstyled", "color: red", "after");
  console.log("100%", 5, "%%", "%x %s", "a");
  console.log("%s and %s", "only one");
  console.log("%s", "a", "b", { c: 1 });
  console.log(5, "%s", "x");
  console.log("100%"); console.log("%"); console.log("%s"); console.log("a%"); console.log("%d%%", 5); console.log("end %", 1);
  console.log("%s", [{ a: 1 }, [2]], "%s", new Map([[1, 2]]));
  console.log("Amount %d %s (%i cents) %j", d.total_amount / 100, d.currency, d.total_amount, d.customer || null);
  return webhook;
}
