function handler(webhook) {
  const describe = ({ name, email }) => name + " <" + email + ">";
  webhook.payload = { who: describe(webhook.payload.data.owner) };
  return webhook;
}
