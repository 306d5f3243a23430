function handler(webhook) {
  const t = new Date(webhook.payload.timestamp);
  const quarter = Math.floor(t.getUTCMonth() / 3) + 1;
  const start = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((t - start) / 86400000 + start.getUTCDay() + 1) / 7);
  webhook.payload = {
    label: `Q${quarter} ${t.getFullYear()} · week ${week}`,
    month: t.toLocaleString("default", { month: "long" }),
    monthShort: t.toLocaleString("en-US", { month: "short" }),
    weekday: t.toLocaleDateString(undefined, { weekday: "long" }),
  };
  return webhook;
}
