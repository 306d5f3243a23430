// @samples payment.succeeded
// Arrays: Node's grouping of short entries into aligned columns, long arrays, holes, extra keys.
function handler(webhook) {
  console.log(Array.from({ length: 120 }, (_, i) => i));
  console.log(Array.from({ length: 30 }, (_, i) => "item" + i));
  console.log([1, 22, 333, 4444, 55555, 666666, 7777777, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  console.log([1, 10, 100, 1000, 10000, 100000, 1000000, 5, 50, 500], [-1, -22, 333, -4444, 5, 6, 7]);
  console.log([1, "a", 2, "bb", 3, "ccc", 4, "dddd"], Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i)));
  console.log(["😀", "😀😀", "中", "中文字", "a", "bb", "ccc", "d"], [true, false, true, false, true, false, true]);
  console.log(Array.from({ length: 8 }, (_, i) => ({ i })), Array.from({ length: 7 }, (_, i) => "entry number " + i));
  console.log([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14]], { list: Array.from({ length: 30 }, (_, i) => i * 3) });
  console.log([1, , 3], new Array(5), [, , 1, , ,], Object.assign([1, 2], { extra: "x" }));
  const sparse = []; sparse[5] = 1; sparse[200] = 2; console.log(sparse);
  console.log("abc".match(/b/), "x1y2".match(/(?<d>\d)/), [..."x1y2".matchAll(/\d/g)]);
  console.log(new Uint8Array([1, 2, 3]), new Float64Array(2), new BigInt64Array(2), new Uint8Array(0), new Uint16Array(120));
  console.log(new ArrayBuffer(4), new DataView(new ArrayBuffer(2)));
  for (let n = 8; n <= 16; n += 2) console.log(Array.from({ length: 6 }, (_, i) => "s".repeat(n) + i));
  console.log(Array.from({ length: 101 }, (_, i) => "s" + i).slice(95), Array.from({ length: 101 }, (_, i) => i).length);
  return webhook;
}
