/* The sscbot chat widget. One tag adds it to any page:
 *   <script src="https://clinic.example/widget.js" data-title="..." data-accent="#0b5cab" defer></script>
 * Settings (data-* attributes win over window.SSCBotSettings): server, title, accent, lang, strings.
 * Plain JavaScript, no dependencies. Everything from the server or the user is put on the page
 * with textContent, never as HTML.
 */
(() => {
  "use strict";

  const STRINGS = {
    launcher: "Questions about scleroderma?",
    title: "Scleroderma information",
    close: "Close chat",
    introHeading: "Before you start",
    acknowledge: "I understand",
    conversation: "Conversation",
    inputLabel: "Your question",
    send: "Send",
    counter: "{count} of {max} characters",
    limit: "You have reached the limit of {max} characters. Please keep your question shorter.",
    you: "You said:",
    assistant: "Assistant said:",
    typing: "The assistant is typing",
    urgent: "Urgent",
    notSent: "Not sent yet",
    noAnswer: "The assistant did not answer. Please try again, or ask in other words.",
    unreachable: "We could not reach the assistant. Check your connection, then try again. Your message is kept.",
    slow: "The assistant is taking too long to answer. Please try again. Your message is kept.",
    retry: "Try again",
    suggestions: "Suggested questions",
    doYouMean: "Choose what you mean",
    rateQuestion: "Was this answer helpful?",
    helpful: "Helpful",
    notHelpful: "Not helpful",
    rated: "Thank you for your feedback.",
    rateFailed: "Your rating could not be saved. Please try again.",
    newConversation: "New conversation",
    confirmNew: "Start a new conversation? This one is cleared from this screen but not deleted: " +
      "the assistant keeps it. To remove it, choose \u201cDelete my conversation\u201d.",
    startNew: "Start new",
    deleteConversation: "Delete my conversation",
    confirmDelete: "Delete this conversation? What you wrote and your ratings are removed from the assistant " +
      "and from this browser. This cannot be undone.",
    deleteNow: "Delete it",
    cancel: "Cancel",
    matchingQuestions: "Matching questions",
    matches: "{count} matching questions. Use the up and down arrow keys to choose one, then Enter.",
    oneMatch: "1 matching question. Use the down arrow key to choose it, then Enter.",
    questions: "Questions for my doctor",
    questionsHeading: "Questions to ask my doctor",
    questionsIntro: "The topics you asked about. You can take this list to your next appointment.",
    questionsEmpty: "Nothing yet: the topics you ask about will be listed here.",
    copy: "Copy list",
    print: "Print list",
    copied: "The list is copied.",
    copyFailed: "Copying is not possible here. Please select the list and copy it.",
    // the topics of the "questions for my doctor" list
    topics: {
      what_is_ssc: "Systemic sclerosis", what_is_refractory: "Refractory disease",
      standard_immunosuppressants: "Standard medicines", skin: "Skin", vascular: "Blood vessels",
      heart: "Heart", lung: "Lungs", kidney: "Kidneys", musculoskeletal: "Joints and muscles",
      guardrail: "My medicines",
    },
  };
  const DEFAULT_ACCENT = "#0b5cab";
  const FETCH_TIMEOUT_MS = 20000;
  const HISTORY_LIMIT = 200;
  const DAY_MS = 24 * 60 * 60 * 1000;
  const DEFAULT_IDLE_DAYS = 30; // until the server says (GET /api/intro: conversation_idle_days)
  const SENDER = /^[A-Za-z0-9_-]{8,64}$/;
  const FORGOTTEN = "privacy.forgotten"; // content id of the reply to "forget me"
  const FORGET_ME = "forget me"; // what the REST channel carries out as deleting the conversation
  const MAX_FOLLOW_UPS = 3; // suggested questions under an answer (not counting "You also asked")
  const MAX_MATCHES = 5; // type-ahead suggestions
  const DOCTOR_KINDS = ["answer", "guardrail"];
  const ICONS = {
    chat: "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z",
    close: "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z",
    warning: "M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z",
  };

  const script = document.currentScript;
  const settings = readSettings();
  const t = settings.strings;
  const storageKey = `sscbot.conversation:${settings.server}`;
  let state = loadState();
  let maxChars = 500;
  let busy = false;
  let confirmOpener = null; // the button whose confirmation step shows
  const nodes = new WeakMap(); // entry -> its <li>

  /* ---------- settings ---------- */

  function readSettings() {
    const global = window.SSCBotSettings || {};
    const data = script ? script.dataset : {};
    const scriptOrigin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
    const strings = { ...STRINGS, ...(global.strings || {}), ...parseJson(data.strings) };
    return {
      server: String(data.server || global.server || scriptOrigin).replace(/\/+$/, ""),
      title: data.title || global.title || strings.title,
      accent: checkedAccent(data.accent || global.accent),
      lang: data.lang || global.lang || document.documentElement.lang || "en",
      strings,
    };
  }

  function parseJson(text) {
    if (!text) return {};
    try {
      return JSON.parse(text);
    } catch (error) {
      console.warn("sscbot: data-strings is not valid JSON; using the default texts.");
      return {};
    }
  }

  /* An accent colour is used behind white text: refused unless it keeps a 4.5:1 contrast. */
  function checkedAccent(value) {
    if (!value) return DEFAULT_ACCENT;
    const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value);
    if (match && contrastWithWhite(match[1]) >= 4.5) return value;
    console.warn(`sscbot: accent ${value} is not a #rgb/#rrggbb colour with 4.5:1 contrast to white text.`);
    return DEFAULT_ACCENT;
  }

  function contrastWithWhite(hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
    const [r, g, b] = [0, 2, 4].map((i) => {
      const c = parseInt(full.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  /* ---------- the conversation, kept in this browser ---------- */

  /* The conversation id and its token come from the server on the first message (issued()).
     usedAt: when a message was last sent; idleDays: the server's idle time, kept for the next load. */
  function freshState(idleDays = DEFAULT_IDLE_DAYS) {
    return { sender: null, token: null, acknowledged: false, open: false, entries: [], usedAt: Date.now(), idleDays };
  }

  function loadState() {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey));
      const issued = saved && SENDER.test(saved.sender) && typeof saved.token === "string";
      const notYet = saved && saved.sender === null && saved.token === null; // before its first message
      if ((issued || notYet) && Array.isArray(saved.entries)) {
        if (typeof saved.usedAt !== "number") saved.usedAt = Date.now(); // kept by an older widget: from now on
        if (!(saved.idleDays > 0)) saved.idleDays = DEFAULT_IDLE_DAYS;
        if (idleTooLong(saved)) {
          localStorage.removeItem(storageKey);
          return freshState(saved.idleDays);
        }
        for (const entry of saved.entries) if (entry.status === "sending") entry.status = "failed"; // reloaded mid-way
        return saved;
      }
    } catch (error) {
      /* storage blocked or damaged: start afresh */
    }
    return freshState();
  }

  /* A conversation unused for longer than the server's idle time is forgotten in this browser. */
  function idleTooLong(saved) {
    return Date.now() - saved.usedAt > saved.idleDays * DAY_MS;
  }

  function save() {
    state.entries = state.entries.slice(-HISTORY_LIMIT);
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      /* storage blocked or full: the conversation lives on in this page */
    }
  }

  /* ---------- talking to the server ---------- */

  class Failure extends Error {
    constructor(status, message) {
      super(message || `HTTP ${status}`);
      this.status = status; // 0: not reached
      this.serverMessage = message;
    }
  }

  async function api(path, body, token) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    const headers = { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    const options = body === undefined ? { method: "GET" } : { method: "POST", headers, body: JSON.stringify(body) };
    try {
      const response = await fetch(settings.server + path, { ...options, credentials: "omit", signal: controller.signal });
      const data = await response.json().catch(() => null);
      if (!response.ok) throw new Failure(response.status, data && typeof data.error === "string" ? data.error : null);
      return data;
    } catch (error) {
      if (error instanceof Failure) throw error;
      throw new Failure(controller.signal.aborted ? 504 : 0, null);
    } finally {
      clearTimeout(timer);
    }
  }

  /* Sent with a message and again with its retry: the assistant answers it once. */
  function newMessageId() {
    return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* A new conversation id and its token, from the server. */
  async function issued() {
    const conversation = await api("/api/conversation", {});
    if (!conversation || !SENDER.test(conversation.sender) || typeof conversation.token !== "string") {
      throw new Failure(502, null);
    }
    state.sender = conversation.sender;
    state.token = conversation.token;
    save();
  }

  /* A request of this conversation, with its token. A chat whose token the server no longer
     accepts (its key was changed) goes on in a new conversation, once. */
  async function conversationApi(path, body) {
    for (let attempt = 0; ; attempt += 1) {
      if (!state.sender || !state.token) await issued();
      try {
        return await api(path, { sender: state.sender, ...body }, state.token);
      } catch (failure) {
        const refused = failure.status === 401 || failure.status === 403;
        if (attempt > 0 || !refused || path !== "/api/chat") throw failure;
        state.sender = null;
        state.token = null;
      }
    }
  }

  function failureText(failure) {
    if (failure.status === 504) return t.slow;
    if (failure.status === 0 || failure.status >= 500) return t.unreachable;
    return failure.serverMessage || t.unreachable;
  }

  const WELCOME_ID = "welcome";

  /* Rasa's messages as entries: each text, its buttons, and the answer contract after it. */
  function botEntries(messages) {
    const entries = [];
    for (const message of Array.isArray(messages) ? messages : []) {
      if (typeof message.text === "string" && message.text) {
        const buttons = (message.buttons || []).filter((b) => typeof b.title === "string" && typeof b.payload === "string");
        entries.push({ role: "bot", text: message.text, buttons: buttons.map(({ title, payload }) => ({ title, payload })) });
      } else if (message.custom && typeof message.custom === "object" && entries.length) {
        const { kind, content_id: contentId, title, topic, disclaimer, source } = message.custom;
        entries[entries.length - 1].contract = { kind, contentId, title, topic, disclaimer, sourced: Boolean(source) };
      }
    }
    // the panel shows the welcome and the disclaimer already: the server's copy of a new session is left out
    return entries.filter((entry) => !(entry.contract && entry.contract.contentId === WELCOME_ID));
  }

  /* ---------- building the page ---------- */

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "sscbot-icon");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function button(label, onclick, className = "sscbot-button", extra = {}) {
    return el("button", { type: "button", class: className, onclick, ...extra }, label);
  }

  const ui = {};

  function build() {
    ui.launcher = el("button", {
      type: "button", class: "sscbot-launcher", "aria-expanded": "false", "aria-controls": "sscbot-panel", onclick: toggle,
    }, icon("chat"), el("span", { text: t.launcher }));

    ui.introText = el("div", { class: "sscbot-intro-text" });
    ui.acknowledge = button(t.acknowledge, acknowledge, "sscbot-button sscbot-primary");
    ui.intro = el("section", { class: "sscbot-intro", "aria-labelledby": "sscbot-intro-heading" },
      el("h3", { id: "sscbot-intro-heading", text: t.introHeading }), ui.introText, ui.acknowledge);

    ui.messages = el("ol", { class: "sscbot-messages" });
    ui.log = el("div", { class: "sscbot-log", role: "log", "aria-live": "polite", "aria-label": t.conversation }, ui.messages);
    ui.typing = el("p", { class: "sscbot-typing", role: "status" });
    ui.errorText = el("p");
    ui.retry = button(t.retry, null, "sscbot-button sscbot-primary");
    ui.error = el("div", { class: "sscbot-error", role: "alert", hidden: "" }, ui.errorText, ui.retry);
    // Urgent advice is announced here, once and at once; the log does not announce it again.
    ui.urgentAlert = el("div", { class: "sscbot-visually-hidden", role: "alert" });

    buildForm();
    buildQuestions();
    buildConfirm();
    ui.newConversation = button(t.newConversation, () => askToConfirm(ui.newConversation, t.confirmNew, t.startNew, newConversation));
    ui.deleteConversation = button(t.deleteConversation,
      () => askToConfirm(ui.deleteConversation, t.confirmDelete, t.deleteNow, deleteConversation));

    ui.panel = el("section", { id: "sscbot-panel", class: "sscbot-panel", role: "dialog", "aria-labelledby": "sscbot-title", hidden: "" },
      el("header", { class: "sscbot-header" },
        el("h2", { id: "sscbot-title", text: settings.title }),
        button(icon("close"), close, "sscbot-button sscbot-close", { "aria-label": t.close }),
        el("div", { class: "sscbot-toolbar" }, ui.questionsToggle, ui.newConversation, ui.deleteConversation),
        ui.confirm),
      ui.body = el("div", { class: "sscbot-body" }, ui.intro, ui.questions, ui.log, ui.typing, ui.error, ui.urgentAlert),
      ui.form);
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !ui.confirm.hidden) cancelConfirm();
      else if (event.key === "Escape") close();
      if (event.key === "Tab" && fullScreen()) keepFocusInside(event);
    });

    ui.root = el("aside", { class: "sscbot", lang: settings.lang, "aria-label": settings.title, "data-state": "loading" },
      ui.launcher, ui.panel);
    ui.root.style.setProperty("--sscbot-accent", settings.accent);
    // until the styles are there, the conversation has no height to scroll to its last message
    document.head.append(el("link", { rel: "stylesheet", href: `${settings.server}/widget.css`, onload: showLatest }));
    document.body.append(ui.root);
  }

  function buildForm() {
    ui.input = el("textarea", {
      id: "sscbot-input", class: "sscbot-input", rows: "2", maxlength: String(maxChars),
      "aria-describedby": "sscbot-count sscbot-limit", autocomplete: "off",
      "aria-autocomplete": "list", "aria-controls": "sscbot-matches",
    });
    ui.input.addEventListener("input", () => {
      updateCount();
      offerMatches();
    });
    ui.input.addEventListener("focus", loadQuestions, { once: true });
    ui.input.addEventListener("blur", hideMatches);
    ui.input.addEventListener("keydown", (event) => {
      if (!ui.matches.hidden && matchKey(event)) return;
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        ui.form.requestSubmit();
      }
    });
    ui.matches = el("ul", { id: "sscbot-matches", class: "sscbot-matches", role: "listbox", "aria-label": t.matchingQuestions, hidden: "" });
    ui.matchStatus = el("p", { class: "sscbot-visually-hidden", role: "status" });
    ui.count = el("p", { id: "sscbot-count", class: "sscbot-count" });
    ui.limit = el("p", { id: "sscbot-limit", class: "sscbot-limit", role: "status" });
    ui.form = el("form", { class: "sscbot-form", hidden: "" },
      el("div", { class: "sscbot-form-top" }, el("label", { for: "sscbot-input", class: "sscbot-label", text: t.inputLabel }), ui.count),
      ui.matches, ui.matchStatus,
      el("div", { class: "sscbot-row" }, ui.input, el("button", { type: "submit", class: "sscbot-button sscbot-primary sscbot-send" }, t.send)),
      ui.limit);
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitTyped();
    });
  }

  function buildQuestions() {
    ui.questionsToggle = button(t.questions, toggleQuestions, "sscbot-button",
      { "aria-expanded": "false", "aria-controls": "sscbot-questions" });
    ui.questionsList = el("ul", { class: "sscbot-questions-list" });
    ui.questionsStatus = el("p", { class: "sscbot-questions-status", role: "status" });
    ui.questions = el("section", { id: "sscbot-questions", class: "sscbot-questions", "aria-labelledby": "sscbot-questions-heading", hidden: "" },
      el("h3", { id: "sscbot-questions-heading", text: t.questionsHeading }),
      el("p", { text: t.questionsIntro }), ui.questionsList,
      el("div", { class: "sscbot-row" }, button(t.copy, copyQuestions), button(t.print, printQuestions)),
      ui.questionsStatus);
  }

  /* The confirmation step of "New conversation" and "Delete my conversation". */
  function buildConfirm() {
    ui.confirmText = el("p", { id: "sscbot-confirm-text" });
    ui.confirmYes = button("", null, "sscbot-button sscbot-primary");
    ui.confirmNo = button(t.cancel, cancelConfirm);
    ui.confirm = el("div", { class: "sscbot-confirm", role: "group", "aria-labelledby": "sscbot-confirm-text", hidden: "" },
      ui.confirmText, el("div", { class: "sscbot-row" }, ui.confirmYes, ui.confirmNo));
  }

  /* ---------- showing the conversation ---------- */

  function renderEntry(entry) {
    const urgent = entry.contract && entry.contract.kind === "emergency";
    const kind = entry.role === "user" ? "user" : urgent ? "emergency" : "bot";
    // tabindex -1: focus can be moved to a message (on a touch screen, to the new answer)
    const li = el("li", { class: `sscbot-msg sscbot-msg--${kind}`, tabindex: "-1" },
      el("span", { class: "sscbot-visually-hidden", text: entry.role === "user" ? t.you : t.assistant }));
    const { answer, notes } = splitNotes(entry);
    const text = el("p", { class: "sscbot-text", text: answer });
    if (urgent) {
      const label = el("strong", { class: "sscbot-urgent" }, icon("warning"), t.urgent);
      li.append(el("div", {}, label, text));
    } else {
      li.append(text);
    }
    li.append(...notes.map((note) => el("p", { class: "sscbot-note", text: note })));
    if (entry.status === "failed") li.append(el("span", { class: "sscbot-not-sent", text: t.notSent }));
    const buttons = shownButtons(entry);
    if (buttons.length) {
      const askingBack = entry.contract && entry.contract.kind === "clarify"; // "Do you mean ...?": the options
      li.append(el("div", { class: askingBack ? "sscbot-quick sscbot-quick--options" : "sscbot-quick", role: "group",
        "aria-label": askingBack ? t.doYouMean : t.suggestions },
        ...buttons.map((b) => button(b.title, () => send(b.payload, b.title, true), "sscbot-button sscbot-chip"))));
    }
    if (entry.contract && entry.contract.kind === "answer" && entry.contract.contentId) li.append(ratingGroup(entry));
    nodes.set(entry, li);
    return li;
  }

  /* The answer first; its source line and the disclaimer with the physician pointer, the last
     lines of the server's text (DESIGN.md, the answer contract), after it in small print. */
  function splitNotes(entry) {
    const lines = entry.text.split("\n");
    const notes = [];
    const { disclaimer, sourced } = entry.contract || {};
    if (disclaimer && lines.length > 1) notes.unshift(lines.pop());
    if (sourced && lines.length > 1 && lines[lines.length - 1].startsWith("From: ")) notes.unshift(lines.pop());
    return { answer: lines.join("\n"), notes };
  }

  /* At most MAX_FOLLOW_UPS suggested questions (buttons that open an item: an intent payload);
     the patient's own other questions ("You also asked") and an ask-back's options all show. */
  function shownButtons(entry) {
    if (!entry.buttons) return [];
    if (entry.contract && entry.contract.kind === "clarify") return entry.buttons;
    let followUps = 0;
    return entry.buttons.filter((b) => !b.payload.startsWith("/") || ++followUps <= MAX_FOLLOW_UPS);
  }

  function ratingGroup(entry) {
    const status = el("p", { class: "sscbot-rating-status", role: "status" });
    const choices = [["helpful", t.helpful], ["not_helpful", t.notHelpful]].map(([rating, label]) =>
      button(label, () => rate(entry, rating, choices, status), "sscbot-button sscbot-rate", {
        "aria-pressed": String(entry.rating === rating), "data-rating": rating,
      }));
    return el("div", { class: "sscbot-rating", role: "group", "aria-label": t.rateQuestion },
      el("span", { "aria-hidden": "true", text: t.rateQuestion }), ...choices, status);
  }

  async function rate(entry, rating, choices, status) {
    try {
      await conversationApi("/api/feedback", { content_id: entry.contract.contentId, rating });
      entry.rating = rating;
      save();
      choices.forEach((choice) => choice.setAttribute("aria-pressed", String(choice.dataset.rating === rating)));
      status.textContent = t.rated;
    } catch (failure) {
      status.textContent = t.rateFailed;
    }
  }

  /* Keeps and shows the entries; their list items. */
  function addEntries(entries, isNew) {
    state.entries.push(...entries);
    save();
    const added = entries.map(renderEntry);
    const urgent = isNew ? entries.filter((entry) => entry.contract && entry.contract.kind === "emergency") : [];
    if (urgent.length) {
      // one announcement: the alert says it at once; the log, silent for this change, keeps it to read
      ui.log.setAttribute("aria-live", "off");
      ui.urgentAlert.textContent = `${t.urgent}: ${urgent.map((entry) => entry.text).join(" ")}`;
    }
    ui.messages.append(...added);
    if (urgent.length) setTimeout(() => ui.log.setAttribute("aria-live", "polite"), 0);
    // an answer is read from its start; after a question of one's own, the end is shown
    ui.body.scrollTop = entries[0]?.role === "bot" ? added[0].offsetTop : ui.body.scrollHeight;
    if (!ui.questions.hidden) renderQuestions();
    return added;
  }

  /* The last message in view, from its start: on opening, and once the styles and the disclaimer are in. */
  function showLatest() {
    const last = ui.messages.lastElementChild;
    ui.body.scrollTop = last ? last.offsetTop : ui.body.scrollHeight;
  }

  function refreshEntry(entry) {
    const old = nodes.get(entry);
    if (old) old.replaceWith(renderEntry(entry));
  }

  /* Quick replies belong to the last answer: older ones go once the person says something new. */
  function dropQuickReplies() {
    for (const entry of state.entries) {
      if (entry.buttons && entry.buttons.length) {
        entry.buttons = [];
        refreshEntry(entry);
      }
    }
  }

  /* ---------- sending ---------- */

  function submitTyped() {
    const text = ui.input.value.trim();
    if (!text || busy) return;
    ui.input.value = "";
    updateCount();
    hideMatches();
    send(text, text);
  }

  /* byButton: asked with a button, which goes with the quick replies: focus moves on (focusAfterButton). */
  function send(message, shown, byButton = false) {
    if (busy) return;
    // "sending" is saved first: a reload before the answer shows the message as not sent
    const entry = { role: "user", text: shown, message, status: "sending", messageId: newMessageId() };
    state.usedAt = Date.now();
    dropQuickReplies();
    addEntries([entry], true);
    if (byButton) focusAfterButton(entry);
    deliver(entry);
  }

  function touchScreen() {
    return window.matchMedia("(pointer: coarse)").matches;
  }

  /* After a button, focus goes to the question box. On a touch screen it goes to the question
     asked, then to its answer (deliver), so that the on-screen keyboard does not cover the answer. */
  function focusAfterButton(entry) {
    if (touchScreen()) nodes.get(entry).focus({ preventScroll: true });
    else ui.input.focus();
  }

  function retry(entry) {
    focusAfterButton(entry);
    deliver(entry);
  }

  async function deliver(entry) {
    busy = true;
    hideError();
    ui.typing.textContent = t.typing;
    ui.typing.classList.add("is-active");
    try {
      const messages = await conversationApi("/api/chat", { message: entry.message, message_id: entry.messageId });
      delete entry.status;
      refreshEntry(entry);
      save();
      const replies = botEntries(messages);
      if (replies.some((reply) => reply.contract && reply.contract.contentId === FORGOTTEN)) forgetLocally();
      if (!replies.length) {
        showError(t.noAnswer, null);
        return;
      }
      const added = addEntries(replies, true);
      // on a touch screen, the answer takes the focus (and the keyboard goes), unless the patient types on
      if (touchScreen() && !ui.input.value) added[0].focus({ preventScroll: true });
    } catch (failure) {
      entry.status = "failed";
      refreshEntry(entry);
      save();
      showError(failureText(failure), () => retry(entry));
    } finally {
      busy = false;
      ui.typing.textContent = "";
      ui.typing.classList.remove("is-active");
    }
  }

  function showError(text, onRetry) {
    ui.errorText.textContent = text;
    ui.retry.hidden = !onRetry;
    ui.retry.onclick = onRetry;
    ui.error.hidden = false;
    if (onRetry && !ui.panel.hidden && !ui.input.value) ui.retry.focus(); // not while someone types
  }

  function hideError() {
    ui.error.hidden = true;
  }

  function updateCount() {
    const count = ui.input.value.length;
    ui.count.textContent = format(t.counter, { count, max: maxChars });
    ui.limit.textContent = count >= maxChars ? format(t.limit, { max: maxChars }) : "";
  }

  /* ---------- the disclaimer, from the server, before the first message ---------- */

  async function loadIntro() {
    try {
      const intro = await api("/api/intro");
      ui.introText.replaceChildren(
        el("p", { text: intro.welcome }), el("p", { class: "sscbot-disclaimer", text: `${intro.disclaimer} ${intro.physician_pointer}` }));
      maxChars = intro.max_message_chars;
      setIdleDays(Number(intro.conversation_idle_days));
      ui.input.maxLength = maxChars;
      updateCount();
      const retried = document.activeElement === ui.retry;
      hideError();
      showAcknowledged();
      showLatest();
      if (retried) (state.acknowledged ? ui.input : ui.acknowledge).focus();
      ui.root.dataset.state = "ready";
      performance.mark("sscbot-ready"); // for the host site's own measurements
      const last = state.entries[state.entries.length - 1];
      if (last && last.status === "failed") showError(t.unreachable, () => retry(last)); // left unsent last time
    } catch (failure) {
      showError(failureText(failure), loadIntro);
    }
  }

  /* The server's idle time; shorter than the one this browser knew, it may end the conversation now. */
  function setIdleDays(days) {
    if (!(days > 0) || days === state.idleDays) return;
    state.idleDays = days;
    if (idleTooLong(state)) {
      state = { ...freshState(days), open: state.open };
      ui.messages.replaceChildren();
      renderQuestions();
    }
    save();
  }

  function showAcknowledged() {
    ui.acknowledge.hidden = state.acknowledged;
    ui.intro.classList.toggle("is-acknowledged", state.acknowledged);
    ui.form.hidden = !state.acknowledged;
  }

  function acknowledge() {
    state.acknowledged = true;
    save();
    showAcknowledged();
    ui.input.focus();
  }

  /* ---------- opening, closing, a new conversation, deleting it ---------- */

  // On a phone the open panel covers the page: Tab and Shift+Tab go round inside it.
  function fullScreen() {
    return window.matchMedia("(max-width: 30em), (max-height: 30em)").matches;
  }

  function keepFocusInside(event) {
    const focusable = [...ui.panel.querySelectorAll("button, textarea, input, a[href], [tabindex]:not([tabindex='-1'])")]
      .filter((node) => !node.disabled && node.offsetParent !== null);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function open(focus = true) {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.root.classList.add("is-open");
    state.open = true;
    save();
    showLatest();
    if (focus) (state.acknowledged ? ui.input : ui.acknowledge).focus();
  }

  function close() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.root.classList.remove("is-open");
    state.open = false;
    save();
    ui.launcher.focus();
  }

  function toggle() {
    if (ui.panel.hidden) open();
    else close();
  }

  /* The server forgot the conversation ("forget me"): so does this browser. */
  function forgetLocally() {
    state = { ...freshState(state.idleDays), acknowledged: state.acknowledged, open: true };
    ui.messages.replaceChildren();
    renderQuestions();
  }

  /* A confirmation step under the toolbar: `action` on yes; Cancel (or Escape) goes back to `opener`. */
  function askToConfirm(opener, text, yes, action) {
    ui.confirmText.textContent = text;
    ui.confirmYes.textContent = yes;
    ui.confirmYes.onclick = () => {
      ui.confirm.hidden = true;
      action();
    };
    confirmOpener = opener;
    ui.confirm.hidden = false;
    ui.confirmNo.focus(); // the step that changes nothing
  }

  function cancelConfirm() {
    ui.confirm.hidden = true;
    confirmOpener.focus();
  }

  /* Only this browser lets go of the conversation: the server keeps it (see deleteConversation). */
  function newConversation() {
    state = { ...freshState(state.idleDays), open: true };
    save();
    ui.messages.replaceChildren();
    ui.input.value = "";
    updateCount();
    hideError();
    hideMatches();
    renderQuestions();
    showAcknowledged();
    ui.acknowledge.focus();
  }

  /* "forget me": the server deletes the conversation and says so (FORGOTTEN), then this browser does. */
  function deleteConversation() {
    send(FORGET_ME, t.deleteConversation, true);
  }

  /* ---------- type-ahead: the content's questions, matched in this page ---------- */

  // Matched on words, lay words and typos included: the list comes once from the server
  // (GET /api/questions: each question's title, payload and the phrases it is asked with);
  // what the patient types never leaves the page until they send it.
  const STOP_WORDS = new Set(("a about am an and any are be can could do does for from get got have how i if in is it " +
    "me my of on or should so that the there this to was what whats when which why will with would you your").split(" "));
  let questions = [];
  let matches = []; // the questions offered now
  let active = -1; // the one chosen with the arrow keys

  async function loadQuestions() {
    try {
      const data = await api("/api/questions");
      questions = data.questions.map(({ title, payload, phrases }) => ({
        title, payload, titleWords: words(title), words: [...new Set(words(`${title} ${phrases.join(" ")}`))],
      }));
      if (document.activeElement === ui.input) offerMatches(); // typed before the list came
    } catch (failure) {
      ui.input.addEventListener("focus", loadQuestions, { once: true }); // again next time
    }
  }

  /* Lower case, no accents or apostrophes, no small words, a plural's "s" dropped. */
  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f'\u2019]/g, "").split(/[^a-z0-9]+/)
      .filter((word) => word && !STOP_WORDS.has(word))
      .map((word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word));
  }

  /* Edits (insert, delete, change, swap two neighbours) that turn a into b. */
  function editDistance(a, b) {
    const rows = [...Array(a.length + 1)].map((_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j += 1) rows[0][j] = j;
    for (let i = 1; i <= a.length; i += 1) {
      for (let j = 1; j <= b.length; j += 1) {
        const change = a[i - 1] === b[j - 1] ? 0 : 1;
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + change);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
    return rows[a.length][b.length];
  }

  /* How well a typed word matches a word of a question: 1 the same, less for the start of a
     word (`typing`: the last word, still being typed) or a typo; 0 not at all. */
  function likeness(typed, word, typing) {
    if (typed === word) return 1;
    if (word.startsWith(typed) && (typing ? typed.length >= 2 : typed.length >= 4)) return 0.8;
    const typos = typed.length < 4 ? 0 : typed.length < 8 ? 1 : 2;
    if (!typos) return 0;
    if (Math.abs(typed.length - word.length) <= typos && editDistance(typed, word) <= typos) return 0.7;
    if (typing && word.length > typed.length && editDistance(typed, word.slice(0, typed.length)) <= typos) return 0.6;
    return 0;
  }

  function bestLikeness(typed, candidates, typing) {
    return candidates.reduce((best, word) => Math.max(best, likeness(typed, word, typing)), 0);
  }

  /* The questions that match what is typed, best first: most words matched, then in the title. */
  function matching(text) {
    const typed = words(text);
    if (!typed.some((word) => word.length >= 3)) return [];
    const typingLast = !/\s$/.test(text);
    const scored = questions.map((question, index) => {
      let score = 0;
      let inTitle = 0;
      typed.forEach((word, i) => {
        const typing = typingLast && i === typed.length - 1;
        score += bestLikeness(word, question.words, typing);
        inTitle += bestLikeness(word, question.titleWords, typing);
      });
      return { question, score, inTitle, index };
    }).filter(({ score }) => score >= Math.max(0.6, typed.length / 2));
    const best = Math.max(0, ...scored.map(({ score }) => score));
    return scored.filter(({ score }) => score >= best * 0.75) // no near misses beside exact matches
      .sort((a, b) => b.score - a.score || b.inTitle - a.inTitle || a.index - b.index)
      .slice(0, MAX_MATCHES).map(({ question }) => question);
  }

  function offerMatches() {
    const found = matching(ui.input.value);
    if (!found.length) return hideMatches();
    const announce = found.length !== matches.length || ui.matches.hidden;
    matches = found;
    ui.matches.replaceChildren(...matches.map((question, i) => el("li", {
      id: `sscbot-match-${i}`, class: "sscbot-match", role: "option", "aria-selected": "false",
      onmousedown: (event) => event.preventDefault(), // the question box keeps the focus
      onclick: () => choose(i),
    }, question.title)));
    ui.matches.hidden = false;
    setActive(-1);
    if (announce) ui.matchStatus.textContent = matches.length === 1 ? t.oneMatch : format(t.matches, { count: matches.length });
  }

  function hideMatches() {
    matches = [];
    ui.matches.hidden = true;
    ui.matches.replaceChildren();
    ui.matchStatus.textContent = "";
    setActive(-1);
  }

  function setActive(index) {
    active = index;
    [...ui.matches.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    if (index < 0) {
      ui.input.removeAttribute("aria-activedescendant");
      return;
    }
    ui.input.setAttribute("aria-activedescendant", `sscbot-match-${index}`);
    ui.matches.children[index].scrollIntoView({ block: "nearest" });
  }

  /* Arrow keys move through the matches (the typed text stays), Enter asks the one chosen,
     Escape closes the list. True when the key was for the list. */
  function matchKey(event) {
    const last = matches.length - 1;
    if (event.key === "ArrowDown") setActive(active < last ? active + 1 : 0);
    else if (event.key === "ArrowUp") setActive(active > 0 ? active - 1 : last);
    else if (event.key === "Enter" && !event.shiftKey && active >= 0) choose(active);
    else if (event.key === "Escape") hideMatches();
    else return false;
    event.preventDefault();
    event.stopPropagation(); // Escape closes the list, not the panel
    return true;
  }

  function choose(index) {
    const question = matches[index];
    if (busy) return;
    hideMatches();
    ui.input.value = "";
    updateCount();
    send(question.payload, question.title, true);
  }

  /* ---------- questions to ask my doctor ---------- */

  /* "Topic: answer title" of each answer in the conversation, once each. */
  function doctorTopics() {
    const lines = state.entries
      .filter((e) => e.contract && DOCTOR_KINDS.includes(e.contract.kind) && typeof e.contract.title === "string")
      .map(({ contract }) => {
        const topic = Object.hasOwn(t.topics, contract.topic) ? t.topics[contract.topic] : null;
        return topic ? `${topic}: ${contract.title}` : contract.title;
      });
    return [...new Set(lines)];
  }

  function renderQuestions() {
    const topics = doctorTopics();
    ui.questionsList.replaceChildren(...(topics.length
      ? topics.map((title) => el("li", { text: title }))
      : [el("li", { class: "sscbot-empty", text: t.questionsEmpty })]));
    ui.questionsStatus.textContent = "";
  }

  function toggleQuestions() {
    const show = ui.questions.hidden;
    if (show) renderQuestions();
    ui.questions.hidden = !show;
    ui.questionsToggle.setAttribute("aria-expanded", String(show));
    if (show) ui.body.scrollTop = ui.questions.offsetTop;
  }

  async function copyQuestions() {
    const text = [t.questionsHeading, ...doctorTopics().map((title) => `- ${title}`)].join("\n");
    try {
      await navigator.clipboard.writeText(text);
      ui.questionsStatus.textContent = t.copied;
    } catch (error) {
      ui.questionsStatus.textContent = t.copyFailed;
    }
  }

  function printQuestions() {
    document.documentElement.classList.add("sscbot-printing");
    window.addEventListener("afterprint", () => document.documentElement.classList.remove("sscbot-printing"), { once: true });
    window.print();
  }

  /* ---------- start ---------- */

  function start() {
    build();
    ui.messages.append(...state.entries.map(renderEntry));
    updateCount();
    showAcknowledged();
    if (state.open) open(false);
    loadIntro();
  }

  // without `defer` in the <head>, the page's body is not there yet
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
