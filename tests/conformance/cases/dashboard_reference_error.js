function handler(webhook) {
  return undefinedVariable + webhook;
}
