// Parts-producing additions to formatters defined elsewhere:
// - Intl.DateTimeFormat.prototype.formatRange / formatRangeToParts: ICU's DateIntervalFormat
//   over CLDR intervalFormats, as V8 drives it (the skeleton of the format's pattern; a range
//   that formats as one date is the format's own output; parts carry their `source`);
// - Intl.RelativeTimeFormat.prototype.formatToParts.

function installDateTimeFormatRange() {
  const proto = DateTimeFormat.prototype;
  const methods = {
    formatRange(startDate, endDate) {
      const slot = rangeSlot(this, "formatRange");
      const [x, y] = rangeArguments(startDate, endDate);
      const parts = rangeParts(slot.fmt, x, y);
      if (parts === null) return formatPattern(slot.fmt, x, false);
      let s = "";
      for (const p of parts) s += p[1];
      return s;
    },
    formatRangeToParts(startDate, endDate) {
      const slot = rangeSlot(this, "formatRangeToParts");
      const [x, y] = rangeArguments(startDate, endDate);
      const parts = rangeParts(slot.fmt, x, y);
      if (parts === null) {
        return formatPattern(slot.fmt, x, true).map((p) => ({ type: p.type, value: p.value, source: "shared" }));
      }
      return rangeToParts(parts);
    },
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(proto, name, { value: methods[name], writable: true, configurable: true });
  }
}

// ---- Intl.RelativeTimeFormat.prototype.formatToParts ------------------------------------------------

function installRelativeTimeFormatParts() {
  const proto = RelativeTimeFormat.prototype;
  const format = proto.format;
  const value = { formatToParts(value, unit) {
    const s = typeof this === "object" && this !== null ? rtfSlots.get(this) : undefined;
    if (s === undefined) {
      const shown = typeof this === "object" && this !== null ? "#<" + (this.constructor && this.constructor.name || "Object") + ">" : String(this);
      throw new TypeError(`Method Intl.RelativeTimeFormat.prototype.formatToParts called on incompatible receiver ${shown}`);
    }
    const x = Number(value);
    const unitStr = String(unit);
    const u = unitStr.endsWith("s") ? unitStr.slice(0, -1) : unitStr;
    if (RTF_UNITS.indexOf(u) < 0) throw new RangeError(`Invalid unit argument for Intl.RelativeTimeFormat.prototype.formatToParts() '${unitStr}'`);
    if (!Number.isFinite(x)) throw new RangeError("Value need to be finite number for Intl.RelativeTimeFormat.prototype.formatToParts()");
    const text = reflectApply(format, this, [x, u]);
    const number = formatNumber(s.nf, Math.abs(x));
    const at = text.indexOf(number);
    if (at < 0) return [{ type: "literal", value: text }];  // "yesterday", "now"
    const out = [];
    if (at > 0) out.push({ type: "literal", value: text.slice(0, at) });
    for (const [type, v] of formatNumberParts(s.nf, Math.abs(x))) out.push({ type, value: v, unit: u });
    if (at + number.length < text.length) out.push({ type: "literal", value: text.slice(at + number.length) });
    return out;
  } }.formatToParts;
  Object.defineProperty(proto, "formatToParts", { value, writable: true, configurable: true });
}
