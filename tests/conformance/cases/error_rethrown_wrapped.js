function handler(webhook) {
  try {
    return transform(webhook);
  } catch (e) {
    throw new Error("transform failed: " + e.message);
  }
}
function transform(webhook) {
  webhook.payload = { email: webhook.payload.data.customer.email.address.toLowerCase() };
  return webhook;
}
