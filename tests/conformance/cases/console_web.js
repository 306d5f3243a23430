// @samples payment.succeeded
// Node's own forms for URL, URLSearchParams, TextEncoder and TextDecoder.
function handler(webhook) {
  const u = new URL("https://hooks.example/p/" + webhook.payload.data.payment_id + "?x=1&y=two#h");
  console.log(u);
  console.log({ u, params: u.searchParams });
  console.log(new URLSearchParams("a=1&b=2"), new URLSearchParams(), new URLSearchParams({ email: webhook.payload.data.customer.email }));
  console.log(new TextEncoder(), new TextDecoder());
  console.log({ a: { b: { u } } });
  console.log(String(u), u.href, u.searchParams.get("y"));
  return webhook;
}
