async function handler(webhook) {
  await null;
  throw new RangeError("amount " + (webhook.payload.data.total_amount / 100).toLocaleString("en-US", { style: "currency", currency: "USD" }) + " too large");
}
