function handler(webhook) {
  webhook.payload.data.metadata.counters.retries += 1;
  return webhook;
}
