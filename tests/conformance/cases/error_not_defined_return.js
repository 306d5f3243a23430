function handler(webhook) {
  return formatPayload(webhook) || webhook;
}
