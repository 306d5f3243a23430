function handler(webhook) {
  const d = webhook.payload.data;
  const v = (d.total_amount ?? 0) / 100;
  webhook.payload = {
    valor: v.toLocaleString("pt-BR", { style: "currency", currency: "BRL" }),
    data: new Date(webhook.payload.timestamp).toLocaleDateString("pt-BR"),
    hora: new Date(webhook.payload.timestamp).toLocaleTimeString("pt-BR", { timeZone: "America/Sao_Paulo", hour: "2-digit", minute: "2-digit" }),
    extenso: new Date(webhook.payload.timestamp).toLocaleDateString("pt-BR", { dateStyle: "full", timeZone: "America/Sao_Paulo" }),
  };
  return webhook;
}
