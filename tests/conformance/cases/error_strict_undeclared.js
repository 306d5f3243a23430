"use strict";
function handler(webhook) {
  summary = webhook.payload.type;
  return webhook;
}
