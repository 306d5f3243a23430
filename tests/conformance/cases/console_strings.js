// @samples payment.succeeded
// Strings inside structures: Node's quote choice, escapes, long and multi-line strings.
function handler(webhook) {
  console.log(["a", "b"], ["it's", 'say "hi"', `both ' and "`, "all ' \" `", "tpl ' \" ${x}"]);
  console.log(["nl\nx", "\u0001\u007f\u009f", "tab\t", "back\\slash", "\ud800 lone", "é 中文 😀"]);
  console.log({ "a-b": 1, a_b: 2, $x: 3, "1a": 4, 12: 5, "": 6, "é": 7, "it's": 8, "a\nb": 9, __proto__x: 10 });
  console.log({ long: "x".repeat(120), text: "line one is here\nline two is here\nline three is also here and long enough" });
  console.log({ s: "ends with a newline and is long enough\n", short: "a\nb" });
  console.log(["y".repeat(30), "z".repeat(30), "w".repeat(30)]);
  console.log({ huge: "q".repeat(10005) }.huge.length, [webhook.payload.data.customer.email]);
  console.log("top level strings stay as they are:", "it's", "a\nb");
  console.log([Symbol("it's"), Symbol("a\nb"), Symbol(), Symbol.iterator]);
  return webhook;
}
