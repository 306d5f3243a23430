"use strict";
function handler(webhook) {
  const config = Object.freeze({ currency: "USD" });
  config.currency = webhook.payload.data.currency;
  return webhook;
}
