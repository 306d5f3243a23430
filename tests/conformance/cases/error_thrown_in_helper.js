function requireField(obj, name) {
  if (obj[name] === undefined) throw new TypeError("missing required field " + name);
  return obj[name];
}
function handler(webhook) {
  webhook.payload = { id: requireField(webhook.payload.data, "payment_id") };
  return webhook;
}
