// @samples payment.succeeded
// Built-ins runner implements in JavaScript have V8's name, length, no `prototype` where V8's
// methods have none, and are constructors exactly where V8's are.
function handler(webhook) {
  const isConstructor = (f) => { try { Reflect.construct(String, [], f); return true; } catch (e) { return false; } };
  const shape = (f) => typeof f !== "function" ? typeof f :
    [JSON.stringify(f.name), f.length, Object.prototype.hasOwnProperty.call(f, "prototype") ? "prototype" : "-", isConstructor(f) ? "new" : "-"].join(" ");
  const get = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
  const list = {
    "Intl.NumberFormat": Intl.NumberFormat, "Intl.DateTimeFormat": Intl.DateTimeFormat, "Intl.Collator": Intl.Collator,
    "Intl.PluralRules": Intl.PluralRules, "Intl.RelativeTimeFormat": Intl.RelativeTimeFormat, "Intl.ListFormat": Intl.ListFormat,
    "Intl.getCanonicalLocales": Intl.getCanonicalLocales,
    "NumberFormat.supportedLocalesOf": Intl.NumberFormat.supportedLocalesOf,
    "DateTimeFormat.supportedLocalesOf": Intl.DateTimeFormat.supportedLocalesOf,
    "NumberFormat#format get": get(Intl.NumberFormat.prototype, "format"),
    "NumberFormat#format": new Intl.NumberFormat("en").format,
    "NumberFormat#formatToParts": Intl.NumberFormat.prototype.formatToParts,
    "NumberFormat#resolvedOptions": Intl.NumberFormat.prototype.resolvedOptions,
    "DateTimeFormat#format get": get(Intl.DateTimeFormat.prototype, "format"),
    "DateTimeFormat#format": new Intl.DateTimeFormat("en").format,
    "DateTimeFormat#formatToParts": Intl.DateTimeFormat.prototype.formatToParts,
    "DateTimeFormat#formatRange": Intl.DateTimeFormat.prototype.formatRange,
    "Collator#compare get": get(Intl.Collator.prototype, "compare"),
    "Collator#compare": new Intl.Collator("en").compare,
    "Collator#resolvedOptions": Intl.Collator.prototype.resolvedOptions,
    "PluralRules#select": Intl.PluralRules.prototype.select,
    "RelativeTimeFormat#format": Intl.RelativeTimeFormat.prototype.format,
    "ListFormat#format": Intl.ListFormat.prototype.format,
    "Date": Date, "Date.now": Date.now, "Date.parse": Date.parse, "Date.UTC": Date.UTC,
    "Date#toString": Date.prototype.toString, "Date#toDateString": Date.prototype.toDateString,
    "Date#toTimeString": Date.prototype.toTimeString, "Date#toLocaleString": Date.prototype.toLocaleString,
    "Date#toLocaleDateString": Date.prototype.toLocaleDateString, "Date#toLocaleTimeString": Date.prototype.toLocaleTimeString,
    "Date#getTimezoneOffset": Date.prototype.getTimezoneOffset, "Date#getHours": Date.prototype.getHours,
    "Date#setHours": Date.prototype.setHours, "Date#setDate": Date.prototype.setDate, "Date#setMonth": Date.prototype.setMonth,
    "Date#setFullYear": Date.prototype.setFullYear, "Date#setMinutes": Date.prototype.setMinutes,
    "Date#setSeconds": Date.prototype.setSeconds, "Date#setMilliseconds": Date.prototype.setMilliseconds,
    "Date#setYear": Date.prototype.setYear, "Date#getYear": Date.prototype.getYear,
    "Number#toLocaleString": Number.prototype.toLocaleString, "Number#toFixed": Number.prototype.toFixed,
    "Number#toString": Number.prototype.toString, "BigInt#toLocaleString": BigInt.prototype.toLocaleString,
    "String#localeCompare": String.prototype.localeCompare, "String#toLocaleUpperCase": String.prototype.toLocaleUpperCase,
    "String#toLocaleLowerCase": String.prototype.toLocaleLowerCase, "String#normalize": String.prototype.normalize,
    "String#repeat": String.prototype.repeat, "Array#toLocaleString": Array.prototype.toLocaleString,
    "JSON.stringify": JSON.stringify, "Math.random": Math.random, "Math.cbrt": Math.cbrt,
    "encodeURIComponent": encodeURIComponent, "decodeURI": decodeURI, "structuredClone": structuredClone,
    "WeakRef": WeakRef, "WeakRef#deref": WeakRef.prototype.deref, "FinalizationRegistry": FinalizationRegistry,
    "FinalizationRegistry#register": FinalizationRegistry.prototype.register,
    "FinalizationRegistry#unregister": FinalizationRegistry.prototype.unregister,
    "Function#toString": Function.prototype.toString,
    "console.log": console.log, "console.warn": console.warn, "console.table": console.table,
  };
  const r = {};
  for (const [k, f] of Object.entries(list)) r[k] = shape(f);
  console.log(Object.keys(r).length);
  webhook.payload = r;
  return webhook;
}
