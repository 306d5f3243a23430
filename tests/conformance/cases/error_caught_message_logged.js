function handler(webhook) {
  try {
    webhook.payload.summary = webhook.payload.data.customer.fullName.split(" ")[0];
  } catch (e) {
    console.log("summary failed:", e.message);
    console.error(e.name + ": " + e.message);
  }
  try {
    webhook.payload.data.metadata.tags.forEach((t) => t);
  } catch (e) {
    console.warn(e.message);
  }
  return webhook;
}
