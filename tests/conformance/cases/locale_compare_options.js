function handler(webhook) {
  const p = webhook.payload, d = p.data;
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("c0", () => ['a'.localeCompare('A'), 'a'.localeCompare('A', undefined, {sensitivity: 'base'}), 'a'.localeCompare('A', undefined, {sensitivity: 'accent'}), 'a'.localeCompare('A', 'en', {numeric: true}), 'a'.localeCompare('A', 'en', {caseFirst: 'upper'}), 'a'.localeCompare('A', 'en', {ignorePunctuation: true})].join(' '));
  t("c1", () => ['a'.localeCompare('á'), 'a'.localeCompare('á', undefined, {sensitivity: 'base'}), 'a'.localeCompare('á', undefined, {sensitivity: 'accent'}), 'a'.localeCompare('á', 'en', {numeric: true}), 'a'.localeCompare('á', 'en', {caseFirst: 'upper'}), 'a'.localeCompare('á', 'en', {ignorePunctuation: true})].join(' '));
  t("c2", () => ['résumé'.localeCompare('resume'), 'résumé'.localeCompare('resume', undefined, {sensitivity: 'base'}), 'résumé'.localeCompare('resume', undefined, {sensitivity: 'accent'}), 'résumé'.localeCompare('resume', 'en', {numeric: true}), 'résumé'.localeCompare('resume', 'en', {caseFirst: 'upper'}), 'résumé'.localeCompare('resume', 'en', {ignorePunctuation: true})].join(' '));
  t("c3", () => ['item2'.localeCompare('item10'), 'item2'.localeCompare('item10', undefined, {sensitivity: 'base'}), 'item2'.localeCompare('item10', undefined, {sensitivity: 'accent'}), 'item2'.localeCompare('item10', 'en', {numeric: true}), 'item2'.localeCompare('item10', 'en', {caseFirst: 'upper'}), 'item2'.localeCompare('item10', 'en', {ignorePunctuation: true})].join(' '));
  t("c4", () => ['a-b'.localeCompare('ab'), 'a-b'.localeCompare('ab', undefined, {sensitivity: 'base'}), 'a-b'.localeCompare('ab', undefined, {sensitivity: 'accent'}), 'a-b'.localeCompare('ab', 'en', {numeric: true}), 'a-b'.localeCompare('ab', 'en', {caseFirst: 'upper'}), 'a-b'.localeCompare('ab', 'en', {ignorePunctuation: true})].join(' '));
  t("c5", () => ['Zebra'.localeCompare('apple'), 'Zebra'.localeCompare('apple', undefined, {sensitivity: 'base'}), 'Zebra'.localeCompare('apple', undefined, {sensitivity: 'accent'}), 'Zebra'.localeCompare('apple', 'en', {numeric: true}), 'Zebra'.localeCompare('apple', 'en', {caseFirst: 'upper'}), 'Zebra'.localeCompare('apple', 'en', {ignorePunctuation: true})].join(' '));
  t("c6", () => ['ä'.localeCompare('z'), 'ä'.localeCompare('z', undefined, {sensitivity: 'base'}), 'ä'.localeCompare('z', undefined, {sensitivity: 'accent'}), 'ä'.localeCompare('z', 'en', {numeric: true}), 'ä'.localeCompare('z', 'en', {caseFirst: 'upper'}), 'ä'.localeCompare('z', 'en', {ignorePunctuation: true})].join(' '));
  t("c7", () => ['ß'.localeCompare('ss'), 'ß'.localeCompare('ss', undefined, {sensitivity: 'base'}), 'ß'.localeCompare('ss', undefined, {sensitivity: 'accent'}), 'ß'.localeCompare('ss', 'en', {numeric: true}), 'ß'.localeCompare('ss', 'en', {caseFirst: 'upper'}), 'ß'.localeCompare('ss', 'en', {ignorePunctuation: true})].join(' '));
  t("c8", () => [''.localeCompare('a'), ''.localeCompare('a', undefined, {sensitivity: 'base'}), ''.localeCompare('a', undefined, {sensitivity: 'accent'}), ''.localeCompare('a', 'en', {numeric: true}), ''.localeCompare('a', 'en', {caseFirst: 'upper'}), ''.localeCompare('a', 'en', {ignorePunctuation: true})].join(' '));
  t("c9", () => ['1'.localeCompare('a'), '1'.localeCompare('a', undefined, {sensitivity: 'base'}), '1'.localeCompare('a', undefined, {sensitivity: 'accent'}), '1'.localeCompare('a', 'en', {numeric: true}), '1'.localeCompare('a', 'en', {caseFirst: 'upper'}), '1'.localeCompare('a', 'en', {ignorePunctuation: true})].join(' '));
  t("c10", () => new Intl.Collator('en', {sensitivity: 'base'}).resolvedOptions());
  t("c11", () => ['B', 'a', 'b', 'A'].sort(new Intl.Collator('en', {caseFirst: 'upper'}).compare).join(''));
  t("c12", () => 'a'.localeCompare('b', 'de'));
  t("c13", () => 'ö'.localeCompare('z', 'de'));
  t("c14", () => ['x10', 'x9', 'x1'].sort((a, b) => a.localeCompare(b, undefined, {numeric: true, sensitivity: 'base'})));
  webhook.payload = r;
  return webhook;
}
