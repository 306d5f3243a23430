// The playground page: two Ace editors (handler code, webhook body) and a result pane fed by the
// JSON API next to this page (api/catalog, api/samples/<name>, api/run, api/run-all). All URLs
// are relative to <base href>, so the page works wherever the app is mounted.
"use strict";

(function () {
  const RUN_DEBOUNCE_MS = 350;
  const Range = ace.require("ace/range").Range;
  const $ = (id) => document.getElementById(id);

  const state = {
    catalog: null,
    sampleText: "",      // the body of the picked sample as loaded, to show "edited"
    runSeq: 0,           // only the newest response is rendered
    inflight: null,      // AbortController of the running request
    timer: null,
    suppressChange: false,
    markers: { code: [], payload: [] },
  };

  // Ace loads extensions (search box) on demand from here; the worker (a second linter) is off
  // because the server is the one source of truth about errors.
  ace.config.set("basePath", new URL("static/vendor/ace/", document.baseURI).href);
  // As a default, not an editor option: setting the mode would otherwise start a worker first.
  ace.config.setDefaultValue("session", "useWorker", false);

  function makeEditor(id, mode) {
    const editor = ace.edit(id, {
      mode: mode,
      useWorker: false,
      showPrintMargin: false,
      tabSize: 2,
      useSoftTabs: true,
      fontSize: "13px",
      highlightActiveLine: true,
    });
    editor.commands.addCommand({
      name: "runNow",
      bindKey: { win: "Ctrl-Enter", mac: "Command-Enter|Ctrl-Enter" },
      exec: () => runNow(),
    });
    editor.session.on("change", () => {
      if (!state.suppressChange) scheduleRun();
    });
    return editor;
  }

  const codeEditor = makeEditor("code-editor", "ace/mode/javascript");
  const payloadEditor = makeEditor("payload-editor", "ace/mode/json");
  payloadEditor.session.on("change", () => updatePayloadState());

  // Exposed for tests and for poking at the page from the browser console.
  window.playground = { codeEditor, payloadEditor, runNow, runAll, selectSample, state };

  function setValue(editor, text) {
    state.suppressChange = true;
    try {
      editor.session.setValue(text);
    } finally {
      state.suppressChange = false;
    }
  }

  async function api(path, body, signal) {
    const init = body === undefined
      ? { signal }
      : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal };
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      throw new Error(`${path}: HTTP ${response.status}, not JSON`);
    }
    if (!response.ok) throw new Error((data && data.error && data.error.message) || `${path}: HTTP ${response.status}`);
    return data;
  }

  // ---- pickers --------------------------------------------------------------------------------

  function fillPickers(catalog) {
    const tp = $("transform-picker");
    tp.replaceChildren();
    for (const t of catalog.transforms) tp.append(new Option(t.name, t.name));
    tp.append(new Option("(custom code)", ""));

    const sp = $("sample-picker");
    sp.replaceChildren();
    const groups = new Map();
    for (const s of catalog.samples) {
      if (!groups.has(s.family)) {
        const g = document.createElement("optgroup");
        g.label = s.family;
        groups.set(s.family, g);
        sp.append(g);
      }
      groups.get(s.family).append(new Option(s.name, s.name));
    }
  }

  function selectTransform(name) {
    const t = state.catalog.transforms.find((x) => x.name === name);
    $("transform-picker").value = t ? name : "";
    if (t) setValue(codeEditor, t.source);
  }

  async function selectSample(name, { run = true } = {}) {
    $("sample-picker").value = name;
    const sample = await api("api/samples/" + encodeURIComponent(name));
    state.sampleText = sample.body;
    // A Svix message brings its eventType; a body's own type applies when the field is empty.
    $("event-type-input").value = sample.message ? sample.own_event_type || "" : "";
    setValue(payloadEditor, sample.body);
    updatePayloadState();
    if (run) await runNow();
  }

  function updatePayloadState() {
    const edited = payloadEditor.getValue() !== state.sampleText;
    $("payload-state").textContent = edited ? "(edited: custom payload)" : "";
  }

  $("transform-picker").addEventListener("change", (e) => {
    if (e.target.value) {
      selectTransform(e.target.value);
      runNow();
    }
  });
  $("sample-picker").addEventListener("change", (e) => selectSample(e.target.value));
  $("event-type-input").addEventListener("input", () => scheduleRun());
  codeEditor.session.on("change", () => {
    if (state.suppressChange) return;
    // Once the code differs from the picked transform, say so in the picker.
    const tp = $("transform-picker");
    const t = state.catalog && state.catalog.transforms.find((x) => x.name === tp.value);
    if (t && t.source !== codeEditor.getValue()) tp.value = "";
  });

  // ---- running --------------------------------------------------------------------------------

  function scheduleRun() {
    clearTimeout(state.timer);
    state.timer = setTimeout(runNow, RUN_DEBOUNCE_MS);
  }

  async function runNow() {
    clearTimeout(state.timer);
    if (state.inflight) state.inflight.abort();
    const controller = new AbortController();
    state.inflight = controller;
    const seq = ++state.runSeq;
    $("busy").hidden = false;
    try {
      const result = await api("api/run", {
        code: codeEditor.getValue(),
        payload: payloadEditor.getValue(),
        event_type: $("event-type-input").value.trim() || null,
        transform: $("transform-picker").value || null,
      }, controller.signal);
      if (seq === state.runSeq) renderResult(result);
    } catch (e) {
      if (e.name !== "AbortError" && seq === state.runSeq) renderFailure(e);
    } finally {
      if (seq === state.runSeq) {
        $("busy").hidden = true;
        state.inflight = null;
        document.body.dataset.runs = String(seq);   // lets tests wait for a finished run
      }
    }
  }

  async function runAll() {
    // A single run still in flight (or scheduled) would switch back to its own tab when it ends.
    clearTimeout(state.timer);
    if (state.inflight) state.inflight.abort();
    state.inflight = null;
    state.runSeq++;
    $("busy").hidden = true;
    showTab("all");
    const tbody = $("run-all-table").querySelector("tbody");
    tbody.replaceChildren();
    $("run-all-summary").textContent = "running…";
    try {
      const data = await api("api/run-all", {
        code: codeEditor.getValue(),
        transform: $("transform-picker").value || null,
      });
      renderRunAll(data);
    } catch (e) {
      $("run-all-summary").textContent = "failed: " + e.message;
    }
  }

  $("run-button").addEventListener("click", () => runNow());
  $("run-all-button").addEventListener("click", () => runAll());
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      runNow();
    }
  });

  // ---- rendering ------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function clearMarkers(which, editor) {
    for (const id of state.markers[which]) editor.session.removeMarker(id);
    state.markers[which] = [];
    editor.session.clearAnnotations();
  }

  // Highlight a 1-based line/column in an editor: the line, the character, a gutter annotation.
  function markError(which, editor, line, column, text) {
    if (!line) return;
    const row = line - 1;
    const col = Math.max((column || 1) - 1, 0);
    state.markers[which].push(
      editor.session.addMarker(new Range(row, 0, row, Infinity), "pg-error-line", "fullLine", false),
      editor.session.addMarker(new Range(row, col, row, col + 1), "pg-error-marker", "text", true),
    );
    editor.session.setAnnotations([{ row, column: col, text, type: "error" }]);
  }

  function renderResult(r) {
    clearMarkers("code", codeEditor);
    clearMarkers("payload", payloadEditor);
    $("payload-error").hidden = true;
    showTab("result");

    const status = $("status");
    status.textContent = r.status;
    status.dataset.status = r.status;
    const typeKnown = r.event_type !== null && r.event_type !== undefined;
    $("event-type").textContent = typeKnown ? r.event_type : r.error && r.error.phase === "payload" ? "" : "no event type";
    $("event-type").classList.toggle("hint", !typeKnown);
    $("duration").textContent = r.duration_ms == null ? "" : `${r.duration_ms.toFixed(1)} ms`;

    const errorBox = $("error-box");
    errorBox.hidden = !r.error;
    if (r.error) {
      const e = r.error;
      const where = e.line ? ` (line ${e.line}, column ${e.column || 1})` : "";
      const what = e.phase === "payload" ? "Webhook body is not valid JSON" : e.type;
      $("error-message").textContent = `${what}: ${e.message}${where}`;
      $("error-source").textContent = e.source_line
        ? `${e.source_line}\n${" ".repeat(Math.max((e.column || 1) - 1, 0))}^` : "";
      $("error-stack").textContent = e.stack || "";
      errorBox.querySelector("details").hidden = !e.stack;
      if (e.phase === "payload") {
        markError("payload", payloadEditor, e.line, e.column, e.message);
        $("payload-error").hidden = false;
        $("payload-error").textContent = `line ${e.line}, column ${e.column}: ${e.message}`;
      } else {
        markError("code", codeEditor, e.line, e.column, `${e.type}: ${e.message}`);
      }
    }

    const notes = [];
    if (r.status === "cancelled") notes.push("The handler set cancel = true: nothing would be delivered (counts as a successful dispatch).");
    if (r.status === "unchanged") notes.push("The handler returned the webhook unchanged: the original body goes to the original URL.");
    for (const w of r.warnings || []) notes.push("⚠ " + w);
    $("note").hidden = !notes.length;
    $("note").replaceChildren(...notes.map((n) => el("div", {}, n)));

    const box = $("request-box");
    box.hidden = !r.request;
    const d = r.delivery;
    const delivered = d && d.status === "pending";
    $("delivery").hidden = !d;
    $("delivery").dataset.delivery = d ? d.status : "";
    $("delivery").textContent = !d ? "" : delivered
      ? "The server would deliver this request."
      : `The server would not deliver it (${d.status}): ${d.reason}`;
    $("request-title").textContent = delivered ? "Request that would be sent" : "Request the handler asked for (not sent)";
    if (r.request) {
      const q = r.request;
      $("request-line").replaceChildren(el("span", { class: "method" }, q.method), q.url);
      const rows = q.headers.map((h) => el("tr", {},
        el("td", {}, h.name),
        el("td", {}, h.value, " ", ...(h.added ? [el("span", { class: "added-mark" }, "+server")] : []))));
      $("request-headers").replaceChildren(...rows);
      $("request-body").textContent = q.body;
      $("message-id").textContent = q.message_id
        ? `messageId ${q.message_id} = hash of webhook-id ${r.webhook_id} (simulated: hash of the body) and the transform name.`
        : "";
      renderDiff(r.diff || []);
    }
    renderConsole(r.logs || [], r.logs_truncated);
  }

  function renderDiff(lines) {
    const nodes = lines.map((d) => {
      const cls = { insert: "ins", delete: "del", hunk: "hunk" }[d.op] || "";
      const prefix = { insert: "+ ", delete: "- ", hunk: "", equal: "  " }[d.op];
      return el("span", cls ? { class: cls } : {}, prefix + d.text + (cls ? "" : "\n"));
    });
    $("diff").replaceChildren(...(nodes.length ? nodes : ["(identical)"]));
  }

  function renderConsole(logs, truncated) {
    const box = $("console");
    if (!logs.length) {
      box.replaceChildren(el("span", { class: "hint" }, "no output"));
      return;
    }
    const rows = logs.map((l) => el("div", { class: "log " + l.level }, el("span", { class: "level" }, l.level), l.message));
    if (truncated) rows.push(el("div", { class: "hint" }, "… output truncated (log limit)"));
    box.replaceChildren(...rows);
  }

  function renderFailure(e) {
    const status = $("status");
    status.textContent = "failed";
    status.dataset.status = "error";
    $("error-box").hidden = false;
    $("error-message").textContent = e.message;
    $("error-source").textContent = "";
    $("request-box").hidden = true;
  }

  function renderRunAll(data) {
    const tbody = $("run-all-table").querySelector("tbody");
    const rows = [];
    let family = null;
    for (const r of data.results) {
      if (r.family !== family) {
        family = r.family;
        rows.push(el("tr", {}, el("td", { class: "family", colspan: "3" }, family)));
      }
      let target = r.url ? `${r.method} ${r.url}` : r.error ? `${r.error.type}: ${r.error.message}` : "—";
      if (r.delivery && r.delivery.status !== "pending") target += ` (not sent: ${r.delivery.status})`;
      const badge = el("span", { class: "badge", "data-status": r.status }, r.status);
      const row = el("tr", { "data-sample": r.sample }, el("td", {}, r.sample), el("td", {}, badge), el("td", {}, target));
      row.addEventListener("click", () => selectSample(r.sample));
      rows.push(row);
    }
    tbody.replaceChildren(...rows);
    const c = data.counts;
    $("run-all-summary").textContent =
      `${data.results.length} samples: ${c.sent} sent, ${c.unchanged} unchanged, ${c.cancelled} cancelled, ${c.error} error ` +
      `(${data.duration_ms.toFixed(0)} ms). Click a row to open it.`;
  }

  function showTab(name) {
    for (const b of document.querySelectorAll(".tab")) b.classList.toggle("active", b.dataset.tab === name);
    $("tab-result").hidden = name !== "result";
    $("tab-all").hidden = name !== "all";
  }
  for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => showTab(b.dataset.tab));

  // ---- start ----------------------------------------------------------------------------------

  (async function start() {
    try {
      state.catalog = await api("api/catalog");
    } catch (e) {
      renderFailure(e);
      return;
    }
    fillPickers(state.catalog);
    if (state.catalog.default_transform) selectTransform(state.catalog.default_transform);
    if (state.catalog.default_sample) await selectSample(state.catalog.default_sample);
    else await runNow();
    document.body.dataset.ready = "true";
  })();
})();
