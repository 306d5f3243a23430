function handler(webhook) {
  try {
    webhook.payload.data.billing.zip.trim();
  } catch (e) {
    console.log("rethrowing", e.message);
    throw e;
  }
  return webhook;
}
