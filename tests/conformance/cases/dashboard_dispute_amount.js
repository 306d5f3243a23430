// @samples dispute.opened dispute.lost dispute.won dispute.challenged
function handler(webhook) {
  const d = webhook.payload.data;
  const cents = d.amount;
  webhook.payload = {
    raw: cents, divided: cents / 100, fixed: (cents / 100).toFixed(2), plus: cents + 100, num: Number(cents) + 100,
    status: d.dispute_status.replace("dispute_", "").toUpperCase(),
    money: (cents / 100).toLocaleString("en-US", { style: "currency", currency: d.currency }),
    stage: d.dispute_stage.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join(" "),
  };
  return webhook;
}
