// @samples payment.succeeded
// WeakRef and FinalizationRegistry: errors, shapes, subclasses and unregister, as V8 answers.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = String(f()); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  t("primitive_target", () => new WeakRef(1));
  t("registered_symbol", () => new WeakRef(Symbol.for("x")));
  t("no_new", () => WeakRef({}));
  t("bad_receiver", () => WeakRef.prototype.deref.call({}));
  t("bad_receiver_primitive", () => WeakRef.prototype.deref.call(1));
  t("tag", () => Object.prototype.toString.call(new WeakRef({})));
  t("proto_keys", () => Reflect.ownKeys(WeakRef.prototype).map(String).join());
  t("ctor_shape", () => [WeakRef.length, WeakRef.name, typeof WeakRef.prototype, JSON.stringify(Object.getOwnPropertyDescriptor(WeakRef, "prototype"))].join(" "));
  t("deref_shape", () => [WeakRef.prototype.deref.length, WeakRef.prototype.deref.name, "prototype" in WeakRef.prototype.deref].join(" "));
  t("instanceof", () => new WeakRef({}) instanceof WeakRef);
  t("constructor", () => new WeakRef({}).constructor === WeakRef);
  t("subclass", () => { class Ref extends WeakRef { get value() { return this.deref(); } } const x = new Ref({ n: 7 }); return x.value.n + " " + (x instanceof WeakRef) + " " + Object.getPrototypeOf(Ref.prototype) === WeakRef.prototype; });
  t("own_keys", () => Reflect.ownKeys(new WeakRef({})).length);
  t("fr_bad_cleanup", () => new FinalizationRegistry(1));
  t("fr_no_new", () => FinalizationRegistry(() => {}));
  t("fr_bad_target", () => new FinalizationRegistry(() => {}).register(1));
  t("fr_same", () => { const o = {}; return new FinalizationRegistry(() => {}).register(o, o); });
  t("fr_bad_token", () => new FinalizationRegistry(() => {}).register({}, 1, 2));
  t("fr_unregister_bad", () => new FinalizationRegistry(() => {}).unregister(1));
  t("fr_unregister", () => { const fr = new FinalizationRegistry(() => {}); const tok = {}; fr.register({}, "held", tok); fr.register({}, "held2", tok); return [fr.unregister(tok), fr.unregister(tok), fr.unregister({})].join(); });
  t("fr_target_as_token", () => { const fr = new FinalizationRegistry(() => {}); const o = {}; fr.register(o, 1, o); return fr.unregister(o); });
  t("fr_register_result", () => new FinalizationRegistry(() => {}).register({}, 1));
  t("fr_bad_receiver", () => FinalizationRegistry.prototype.register.call({}, {}));
  t("fr_tag", () => Object.prototype.toString.call(new FinalizationRegistry(() => {})));
  t("fr_proto_keys", () => Reflect.ownKeys(FinalizationRegistry.prototype).map(String).join());
  t("fr_lengths", () => [FinalizationRegistry.length, FinalizationRegistry.prototype.register.length, FinalizationRegistry.prototype.unregister.length].join());
  t("fr_subclass", () => { class Reg extends FinalizationRegistry {} const g = new Reg(() => {}); g.register({}, 1, g); return (g instanceof FinalizationRegistry) + " " + g.unregister(g); });
  t("fr_symbol_target", () => new FinalizationRegistry(() => {}).register(Symbol("t"), 1));
  t("tostring", () => [String(WeakRef), String(FinalizationRegistry), String(WeakRef.prototype.deref), String(FinalizationRegistry.prototype.register)].join(" | "));
  console.log(r.primitive_target);
  webhook.payload = r;
  return webhook;
}
