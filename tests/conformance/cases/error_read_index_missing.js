// An index past the end of an array: refunds is empty (payment) or absent.
function handler(webhook) {
  const first = webhook.payload.data.refunds[0].refund_id;
  return { ...webhook, payload: { first } };
}
