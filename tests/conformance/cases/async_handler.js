async function handler(webhook) {
  const order = [];
  queueMicrotask(() => order.push("micro"));
  await Promise.resolve();
  order.push("after-await");
  const amount = await new Promise((resolve) => resolve(webhook.payload.data.total_amount || 0));
  webhook.payload = { order, amount, when: new Date(webhook.payload.timestamp).toLocaleDateString("en-US", { dateStyle: "medium" }) };
  return webhook;
}
