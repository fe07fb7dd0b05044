/* The staff console (bot/web/staff.py): sign in, run scripts, past runs, record a script,
   what patients ask. Plain DOM, no framework; every text is set as text, never as HTML. */
(() => {
  "use strict";
  const $ = (selector) => document.querySelector(selector);
  let meta = { topics: [], kinds: [] };
  let trySender = null;

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  class Failure extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(method, path, body) {
    const options = { method, credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(`/staff/api${path}`, options);
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      if (response.status === 401 && path !== "/login") showSignIn();
      throw new Failure(response.status, (data && data.error) || `HTTP ${response.status}`);
    }
    return data;
  }

  /* ---------- signing in ---------- */

  function showSignIn() {
    $("#console").hidden = true;
    $("#who").hidden = true;
    $("#sign-out").hidden = true;
    $("#sign-in").hidden = false;
    $("#name").focus();
  }

  async function start() {
    try {
      meta = await api("GET", "/me");
    } catch (failure) {
      if (failure.status === 401) return;
      throw failure;
    }
    $("#sign-in").hidden = true;
    $("#console").hidden = false;
    $("#who").hidden = false;
    $("#who").textContent = `Signed in as ${meta.name}`;
    $("#sign-out").hidden = false;
    show("run");
  }

  $("#sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#sign-in-error").textContent = "";
    try {
      await api("POST", "/login", { name: $("#name").value, password: $("#password").value });
      $("#password").value = "";
      await start();
    } catch (failure) {
      $("#sign-in-error").textContent = failure.message;
    }
  });

  $("#sign-out").addEventListener("click", async () => {
    await api("POST", "/logout", {});
    showSignIn();
  });

  /* ---------- screens ---------- */

  const loaders = { run: loadScripts, runs: loadRuns, record: () => {}, insights: loadInsights };

  function show(screen) {
    for (const button of document.querySelectorAll(".tabs button")) {
      if (button.dataset.screen === screen) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
    }
    for (const panel of document.querySelectorAll(".screen")) panel.hidden = panel.id !== `screen-${screen}`;
    loaders[screen]();
  }

  for (const button of document.querySelectorAll(".tabs button")) {
    button.addEventListener("click", () => show(button.dataset.screen));
  }

  /* ---------- a conversation as chat bubbles ---------- */

  function bubbles(messages) {
    const urgent = messages.some((message) => message.custom && message.custom.kind === "emergency");
    const source = (messages.find((message) => message.custom && message.custom.source) || {}).custom;
    return messages.map((message) => {
      const custom = message.custom || source || {};
      const node = el("div", { class: `bubble bot${urgent ? " urgent" : ""}` });
      if (urgent) node.append(el("strong", { text: "Urgent: " }));
      if (message.text) node.append(message.text);
      if (custom.source && custom.source.title) {
        node.append(el("span", { class: "source", text: `Source: ${custom.source.title}${custom.source.section ? ` (${custom.source.section})` : ""}` }));
      }
      if (message.buttons && message.buttons.length) {
        node.append(el("div", { class: "chips" }, ...message.buttons.map((b) => el("span", { class: "chip", text: b.title }))));
      }
      return message.text || message.buttons ? node : null;
    }).filter(Boolean);
  }

  function scriptArticle(result) {
    const verdict = result.passed ? "Passed" : `Failed: ${result.failure}`;
    const article = el("article", { class: "script", "aria-label": result.name },
      el("h3", { text: result.name }),
      el("p", { class: `verdict ${result.passed ? "passed" : "failed"}`, text: `${verdict} (${result.file})` }));
    for (const turn of result.turns) {
      const chat = el("div", { class: "chat" }, el("div", { class: "bubble user", text: turn.label }), ...bubbles(turn.messages));
      const checks = el("ul", { class: "checks", "aria-label": `Expectations of turn ${turn.number}` },
        ...turn.checks.map((c) => el("li", { class: c.passed ? "passed" : "failed", text: `${c.passed ? "met" : "not met"}: ${c.summary}` })),
        turn.error ? el("li", { class: "failed", text: `not played: ${turn.error}` }) : null);
      article.append(el("div", { class: "turn" }, chat, checks));
    }
    return article;
  }

  function showRun(run, container) {
    container.replaceChildren(
      el("p", { text: `Run ${run.id}: ${run.passed} of ${run.total} scripts passed; model ${run.model}, content ${run.content_version}, by ${run.started_by}.` }),
      ...run.results.map(scriptArticle));
  }

  /* ---------- run scripts ---------- */

  async function loadScripts() {
    const files = await api("GET", "/scripts");
    $("#script-list").replaceChildren(...files.map((file) => el("div", { class: "file-group" },
      el("strong", { text: file.file }),
      ...file.scripts.map((name, index) => {
        const id = `script-${file.file}-${index}`.replace(/[^A-Za-z0-9_-]/g, "-");
        return el("div", {}, el("input", { type: "checkbox", id, value: name, checked: "" }), el("label", { for: id, text: name }));
      }))));
  }

  function tick(checked) {
    for (const box of document.querySelectorAll("#script-list input")) box.checked = checked;
  }
  $("#select-all").addEventListener("click", () => tick(true));
  $("#select-none").addEventListener("click", () => tick(false));

  $("#run-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const names = [...document.querySelectorAll("#script-list input:checked")].map((box) => box.value);
    if (!names.length) {
      $("#run-progress").textContent = "Select at least one script.";
      return;
    }
    const submit = event.submitter || $("#run-form button[type=submit]");
    submit.disabled = true;
    try {
      const { id } = await api("POST", "/runs", { scripts: names });
      let run;
      do {
        await new Promise((resolve) => setTimeout(resolve, 500));
        run = await api("GET", `/runs/${id}`);
        $("#run-progress").textContent = `Run ${id}: ${run.done} of ${run.total} scripts done, ${run.passed} passed${run.finished ? ". Finished." : " ..."}`;
        showRun(run, $("#run-result"));
      } while (!run.finished);
    } catch (failure) {
      $("#run-progress").textContent = failure.message;
    } finally {
      submit.disabled = false;
    }
  });

  /* ---------- past runs ---------- */

  async function loadRuns() {
    const runs = await api("GET", "/runs");
    $("#runs-table tbody").replaceChildren(...runs.map((run) => el("tr", {},
      el("td", { text: String(run.id) }), el("td", { text: run.started_at.replace("T", " ").replace("Z", "") }),
      el("td", { text: run.started_by }), el("td", { text: run.model }), el("td", { text: run.content_version }),
      el("td", { text: `${run.passed} of ${run.total}${run.finished ? "" : " (running)"}` }),
      el("td", {}, detailButton(run.id)))));
    for (const select of [$("#compare-base"), $("#compare-other")]) {
      select.replaceChildren(...runs.map((run) => el("option", { value: String(run.id), text: `Run ${run.id}` })));
    }
    if (runs.length > 1) $("#compare-base").value = String(runs[1].id);
  }

  function detailButton(id) {
    const button = el("button", { type: "button", text: `Show run ${id}` });
    button.addEventListener("click", async () => showRun(await api("GET", `/runs/${id}`), $("#run-detail")));
    return button;
  }

  $("#compare-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("GET", `/compare?base=${$("#compare-base").value}&other=${$("#compare-other").value}`);
    const list = (title, names) => el("div", {}, el("h3", { text: `${title} (${names.length})` }),
      names.length ? el("ul", {}, ...names.map((n) => el("li", { text: n }))) : el("p", { text: "None." }));
    $("#compare-result").replaceChildren(
      el("p", { text: `Run ${result.other} against run ${result.base}:` }),
      list("Newly failing", result.newly_failing), list("Newly passing", result.newly_passing));
  });

  /* ---------- record a script ---------- */

  /* `from`: the ref of the patient's question this try starts from (its "forget me" deletes the try). */
  async function sendTry(message, from) {
    $("#try-log").append(el("div", { class: "bubble user", text: message }));
    try {
      const body = trySender ? { sender: trySender, message } : { message, ...(from ? { from } : {}) };
      const reply = await api("POST", "/try", body);
      trySender = reply.sender;
      $("#try-log").append(...bubbles(reply.messages));
      $("#draft-open").disabled = false;
    } catch (failure) {
      $("#try-log").append(el("p", { class: "error", text: failure.message }));
    }
  }

  $("#try-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = $("#try-input").value.trim();
    if (!message) return;
    $("#try-input").value = "";
    await sendTry(message);
  });

  $("#try-new").addEventListener("click", () => {
    trySender = null;
    $("#try-log").replaceChildren();
    $("#draft-open").disabled = true;
    $("#draft-form").hidden = true;
  });

  function choice(id, label, options, value) {
    const select = el("select", { id }, el("option", { value: "", text: "(any)" }),
      ...options.map((option) => el("option", { value: option, text: option })));
    select.value = value || "";
    return [el("label", { for: id, text: label }), select];
  }

  function lines(id, label, values) {
    return [el("label", { for: id, text: `${label} (one per line)` }),
      el("textarea", { id, rows: "2" }, (values || []).join("\n"))];
  }

  $("#draft-open").addEventListener("click", async () => {
    const draft = await api("GET", `/draft?sender=${encodeURIComponent(trySender)}`);
    $("#draft-name").value = "";
    $("#draft-turns").replaceChildren(...draft.turns.map((turn, index) => {
      const action = turn.user !== undefined ? `user: ${turn.user}` : turn.click !== undefined ? `click: ${turn.click}` : "restart";
      const box = el("fieldset", { class: "draft-turn", "data-turn": JSON.stringify(turn) },
        el("legend", { text: `Turn ${index + 1}: ${action}` }),
        ...choice(`draft-topic-${index}`, "Topic", meta.topics, turn.topic),
        ...choice(`draft-kind-${index}`, "Kind", meta.kinds, turn.kind),
        ...lines(`draft-says-${index}`, "Must say", turn.says),
        ...lines(`draft-not-says-${index}`, "Must not say", turn.not_says),
        ...lines(`draft-buttons-${index}`, "Buttons offered", turn.buttons));
      return box;
    }));
    $("#draft-checked").checked = false;
    $("#draft-form").hidden = false;
    $("#draft-name").focus();
  });

  function draftTurn(box, index) {
    const turn = JSON.parse(box.dataset.turn);
    const script = {};
    for (const key of ["user", "click", "restart"]) if (turn[key] !== undefined) script[key] = turn[key];
    const field = (name) => $(`#draft-${name}-${index}`).value;
    const list = (name) => field(name).split("\n").map((line) => line.trim()).filter(Boolean);
    if (field("topic")) script.topic = field("topic");
    if (field("kind")) script.kind = field("kind");
    for (const [key, name] of [["says", "says"], ["not_says", "not-says"], ["buttons", "buttons"]]) {
      if (list(name).length) script[key] = list(name);
    }
    for (const key of ["content_id", "disclaimer", "emergency"]) if (turn[key] !== undefined) script[key] = turn[key];
    return script;
  }

  $("#draft-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("#draft-file").value.trim();
    const turns = [...document.querySelectorAll("#draft-turns .draft-turn")].map(draftTurn);
    const script = { name: $("#draft-name").value.trim(), description: "Recorded in the staff console.", turns };
    try {
      const files = await api("GET", "/scripts");
      const known = files.find((f) => f.file === file);
      const checked = $("#draft-checked").checked;
      await api("POST", "/scripts", { file, script, base_hash: known ? known.hash : null, no_personal_details: checked });
      $("#draft-status").textContent = `Saved "${script.name}" in dialogues/${file}.`;
    } catch (failure) {
      $("#draft-status").textContent = failure.message;
    }
  });

  /* ---------- what patients ask ---------- */

  function chart(rows) {
    const weeks = [...new Set(rows.map((r) => r.week))];
    const topics = [...new Set(rows.map((r) => r.topic))];
    const max = Math.max(1, ...rows.map((r) => r.questions));
    const bar = 14;
    const height = weeks.length * (topics.length * bar + 16) + 10;
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "640");
    svg.setAttribute("height", String(height));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Bar chart of questions per topic per week; the same figures are in the table below");
    let y = 5;
    for (const week of weeks) {
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", "0");
      label.setAttribute("y", String(y + 11));
      label.textContent = week;
      svg.append(label);
      for (const topic of topics) {
        const row = rows.find((r) => r.week === week && r.topic === topic);
        if (row) {
          const rect = document.createElementNS(ns, "rect");
          rect.setAttribute("x", "100");
          rect.setAttribute("y", String(y));
          rect.setAttribute("height", String(bar - 3));
          rect.setAttribute("width", String(Math.round((row.questions / max) * 380)));
          rect.setAttribute("fill", "#0b5cab");
          const text = document.createElementNS(ns, "text");
          text.setAttribute("x", String(100 + Math.round((row.questions / max) * 380) + 5));
          text.setAttribute("y", String(y + 10));
          text.textContent = `${topic} ${row.questions}`;
          svg.append(rect, text);
          y += bar;
        }
      }
      y += 16;
    }
    return svg;
  }

  let insightsAsked = 0;

  async function loadInsights() {
    const asked = ++insightsAsked;
    const data = await api("GET", `/insights?find=${encodeURIComponent($("#find-input").value)}`);
    if (asked !== insightsAsked) return; // a later request is on its way: this answer is stale
    $("#per-week-chart").replaceChildren(chart(data.per_week));
    $("#per-week-table tbody").replaceChildren(...data.per_week.map((row) => el("tr", {},
      el("td", { text: row.week }), el("td", { text: row.topic }), el("td", { text: String(row.questions) }))));
    $("#least-table tbody").replaceChildren(...data.least_helpful.map((row) => el("tr", {},
      el("td", { text: `${row.title} (${row.content_id})` }), el("td", { text: String(row.not_helpful) }),
      el("td", { text: String(row.helpful) }))));
    $("#unanswered").replaceChildren(...(data.unanswered.length ? data.unanswered.map((group) => el("div", { class: "group" },
      el("h4", { text: `${group.term}: ${group.count}` }),
      el("ul", {}, ...group.questions.map((question) =>
        el("li", {}, `${question.text} `, tryButton(question, false), " ", tryButton(question, true))))))
      : [el("p", { text: "No unanswered questions." })]));
  }

  $("#find-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadInsights();
  });

  /* "Try it" asks the assistant in the Record screen; "Save as script" also opens the new script. */
  function tryButton(question, save) {
    const label = save ? "Save as script" : "Try it";
    const button = el("button", { type: "button", text: label, "aria-label": `${label}: ${question.text}` });
    button.addEventListener("click", async () => {
      show("record");
      $("#try-new").click();
      await sendTry(question.text, question.ref);
      if (save && !$("#draft-open").disabled) $("#draft-open").click();
    });
    return button;
  }

  start();
})();
