// @samples payment.succeeded
// Numbers, bigints, -0, booleans, null and undefined, inside and outside structures.
function handler(webhook) {
  console.log(-0, 0, 10n, -5n, NaN, Infinity, null, undefined, true, false);
  console.log([-0, 0, 1.5, 1e21, 1e-7, NaN, Infinity, -Infinity, 10n, 2n ** 70n]);
  console.log({ z: -0, t: true, f: false, n: null, u: undefined, nan: NaN });
  console.log([0.1 + 0.2, 123456789012345680000, 2 ** 53, -1e-7, 5e-324]);
  console.log([new Number(3), new String("x"), new Boolean(false), Object(1n), Object(Symbol("s")), new Number(-0)]);
  const so = new String("ab"); so.extra = 1; const no = new Number(5); no.x = 1;
  console.log(so, no);
  const d = webhook.payload.data;
  console.log("Total:", d.total_amount / 100, d.currency, [d.tax, d.settlement_tax], d.total_amount / 3);
  return webhook;
}
