class Formatter {
  constructor(data) { this.data = data; }
  customer() { return this.data.customer.profile.displayName; }
}
function handler(webhook) {
  webhook.payload = { name: new Formatter(webhook.payload.data).customer() };
  return webhook;
}
