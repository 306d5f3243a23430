// discount_id is null in payment and subscription samples, absent elsewhere.
function handler(webhook) {
  const code = webhook.payload.data.discount_id.code;
  webhook.payload = { code };
  return webhook;
}
