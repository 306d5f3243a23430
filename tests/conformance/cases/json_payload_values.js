function handler(webhook) {
  webhook.payload = {
    negZero: -0, big: 1e21, small: 1e-7, third: 1 / 3, maxSafe: Number.MAX_SAFE_INTEGER + 2,
    sparse: [1, , 3], undef: [undefined, null], nested: { u: undefined, n: null, nan: NaN, inf: -Infinity },
    str: "emoji 😀 — \u00e9 \u0000 \t", amount: "400" / 100, amount2: "400" * 1, concat: "400" + 100,
    date: new Date(webhook.payload.timestamp), fixed: (0.615).toFixed(2)
  };
  return webhook;
}
