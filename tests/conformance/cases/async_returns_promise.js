function handler(webhook) {
  return Promise.all([1, 2, 3].map(async (n) => n * 2)).then((xs) => {
    webhook.payload = { xs, ok: true };
    return webhook;
  });
}
