function handler(webhook) {
  const lib = { Locale: "en-US" };
  const locale = new lib.Locale(webhook.payload.data.currency);
  webhook.payload = { locale: String(locale) };
  return webhook;
}
