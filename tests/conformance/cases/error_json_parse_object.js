function handler(webhook) {
  // a common slip: parsing what is already an object
  const data = JSON.parse(webhook.payload.data);
  webhook.payload = { id: data.payment_id };
  return webhook;
}
