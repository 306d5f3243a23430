// @samples payment.succeeded dispute.opened
function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleTimeString('en-US', {hourCycle:"h23",hour:"numeric",minute:"2-digit"}));
  t("c1", () => new Date(p.timestamp).toLocaleTimeString('en-US', {minute:"2-digit"}));
  t("c2", () => new Date(p.timestamp).toLocaleTimeString('en-US', {timeZoneName:"short"}));
  t("c3", () => new Date(p.timestamp).toLocaleTimeString('en-US', {hour:"numeric",timeZoneName:"short"}));
  t("c4", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {hourCycle:"h23",hour:"numeric",minute:"2-digit"}));
  t("c5", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {minute:"2-digit"}));
  t("c6", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {timeZoneName:"short"}));
  t("c7", () => new Date('2025-02-03T00:05:06Z').toLocaleTimeString('en-US', {hour:"numeric",timeZoneName:"short"}));
  t("c8", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {hourCycle:"h23",hour:"numeric",minute:"2-digit"}));
  t("c9", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {minute:"2-digit"}));
  t("c10", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {timeZoneName:"short"}));
  t("c11", () => new Date('2025-02-03T13:45:06Z').toLocaleTimeString('en-US', {hour:"numeric",timeZoneName:"short"}));
  webhook.payload = r;
  return webhook;
}
