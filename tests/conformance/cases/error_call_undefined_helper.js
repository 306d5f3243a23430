function handler(webhook) {
  const helpers = { slug: (s) => s.toLowerCase() };
  webhook.payload.slug = helpers.slugify(webhook.payload.type);
  return webhook;
}
