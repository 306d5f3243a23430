"use strict";
function handler(webhook) {
  const totals = { get cents() { return 1; } };
  totals.cents = webhook.payload.data.total_amount;
  return webhook;
}
