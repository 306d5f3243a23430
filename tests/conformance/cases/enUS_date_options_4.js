function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => new Date(p.timestamp).toLocaleDateString('en-US', {day:"numeric"}));
  t("c1", () => new Date(p.timestamp).toLocaleDateString('en-US', {day:"2-digit"}));
  t("c2", () => new Date(p.timestamp).toLocaleDateString('en-US', {month:"2-digit"}));
  t("c3", () => new Date(p.timestamp).toLocaleDateString('en-US', {dateStyle:"full"}));
  t("c4", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {day:"numeric"}));
  t("c5", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {day:"2-digit"}));
  t("c6", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {month:"2-digit"}));
  t("c7", () => new Date('2025-02-03T04:05:06Z').toLocaleDateString('en-US', {dateStyle:"full"}));
  webhook.payload = r;
  return webhook;
}
