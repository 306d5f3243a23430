// @samples dispute.accepted dispute.cancelled dispute.challenged dispute.expired dispute.lost dispute.opened dispute.won license_key.created payment.cancelled payment.failed payment.processing payment.succeeded refund.failed refund.succeeded subscription.active subscription.cancelled subscription.expired subscription.failed subscription.on_hold subscription.paused subscription.plan_changed subscription.renewed subscription.unpaused subscription.update_payment_method subscription.updated
// What handlers log most: the payload, its data, the whole webhook.
function handler(webhook) {
  console.log(webhook.payload);
  console.log("data:", webhook.payload.data);
  console.log(webhook);
  console.info(webhook.eventType, webhook.payload.type);
  return webhook;
}
