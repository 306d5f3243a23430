async function handler(webhook) {
  const data = await Promise.resolve(webhook.payload.data);
  webhook.payload = { street: data.customer.address.street };
  return webhook;
}
