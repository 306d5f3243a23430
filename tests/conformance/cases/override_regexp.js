// @samples payment.succeeded
// Assigning a property a RegExp instance inherits: an own property, as in V8.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name; } };
  t("match_false", () => { const re = /foo/; re[Symbol.match] = false; return "/foo/".startsWith(re) + " " + "/foo/bar".includes(re); });
  t("own_symbol", () => { const re = /a/g; re[Symbol.match] = false; return Object.getOwnPropertySymbols(re).length + " " + re.hasOwnProperty(Symbol.match); });
  t("exec_override", () => { const re = /x/; re.exec = () => ({ 0: "patched", index: 0, length: 1 }); return re.test("nothing") + " " + "abc".replace(re, "Y"); });
  t("replace_symbol", () => { const re = /b/; re[Symbol.replace] = (s, v) => "custom:" + s + v; return "abc".replace(re, "!"); });
  t("split_symbol", () => { const re = /,/; re[Symbol.split] = () => ["one"]; return "a,b".split(re).join("|"); });
  t("toString", () => { const re = /z/i; re.toString = () => "REGEX"; return String(re) + " " + `${re}`; });
  t("lastIndex", () => { const re = /a/g; re.lastIndex = 2; return re.lastIndex + " " + re.exec("aaa").index; });
  t("flags_accessor", () => { const re = /a/; re.flags = "gimsuy"; return re.flags; });
  t("source_accessor", () => { const re = /a/; re.source = "b"; return re.source; });
  t("keys", () => { const re = /q/; re.custom = 1; re.toString = () => "x"; return Object.keys(re).join(","); });
  t("descriptor", () => { const re = /q/; re.exec = null; return JSON.stringify(Object.getOwnPropertyDescriptor(re, "exec")); });
  console.log("startsWith", r.match_false);
  webhook.payload = r;
  return webhook;
}
