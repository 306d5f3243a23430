async function handler(webhook) {
  const log = [];
  Promise.resolve().then(() => log.push(1));
  queueMicrotask(() => log.push(2));
  await null;
  log.push(3);
  await new Promise((r) => queueMicrotask(r));
  webhook.payload = { log };
  return webhook;
}
