class Payload {
  constructor(d) { this.d = d; }
}
function handler(webhook) {
  webhook.payload = Payload(webhook.payload.data);
  return webhook;
}
