// Reading a field of a missing object: V8 names the property and places the error at it.
function handler(webhook) {
  const city = webhook.payload.data.shipping.address.city;
  webhook.payload = { city };
  return webhook;
}
