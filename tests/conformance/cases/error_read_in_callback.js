function handler(webhook) {
  const items = webhook.payload.data.product_cart || [{ product_id: "x" }];
  webhook.payload = {
    skus: items.map((item) => {
      return item.details.sku;
    }),
  };
  return webhook;
}
