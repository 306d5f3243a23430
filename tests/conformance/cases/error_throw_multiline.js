function handler(webhook) {
  if (webhook.payload.type !== "payment.succeeded") {
    throw new RangeError(
      "unsupported event " + webhook.payload.type +
      " for " + webhook.payload.data.customer.email
    );
  }
  return webhook;
}
