/* Record a script from a conversation with the assistant, or edit or delete a saved one.
   Every expectation of the script format is in the form, in words: the expected answer is
   chosen by its title, topics and kinds by name. A new script goes into a file chosen from
   the list or a new one; a saved script stays in its file. */
import { $, api, el, names } from "./dom.js";
import { botBubbles } from "./chat.js";

const FILE_NAME = /^[a-z0-9][a-z0-9_-]{0,60}\.yml$/;
const FILE_RULE = "A file name is lower-case letters, digits, \"-\" or \"_\", ending in .yml, for example skin-extra.yml.";
const NEW_FILE = "";
const LISTS = [["says", "Must say"], ["not_says", "Must not say"], ["buttons", "Buttons offered"]];
let trySender = null;
let editing = null; // the saved script open in the form: { file, name, hash }
let files = [];

/* ---------- talking to the assistant ---------- */

/* `from`: the ref of the patient's question this try starts from (its "forget me" deletes the try). */
export async function sendTry(message, from) {
  $("#try-log").append(el("div", { class: "bubble user", text: message }));
  try {
    const body = trySender ? { sender: trySender, message } : { message, ...(from ? { from } : {}) };
    const reply = await api("POST", "/try", body);
    trySender = reply.sender;
    $("#try-log").append(...botBubbles(reply.messages));
    $("#draft-open").disabled = false;
  } catch (failure) {
    $("#try-log").append(el("p", { class: "error", text: failure.message }));
  }
}

export function newConversation() {
  trySender = null;
  $("#try-log").replaceChildren();
  $("#draft-open").disabled = true;
  $("#draft-form").hidden = true;
}

$("#try-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("#try-input").value.trim();
  if (!message) return;
  $("#try-input").value = "";
  await sendTry(message);
});
$("#try-new").addEventListener("click", newConversation);

/* ---------- the files and scripts ---------- */

export async function loadScriptChoices() {
  files = await api("GET", "/scripts");
  $("#pick-script").replaceChildren(...files.map((file) => el("optgroup", { label: file.file },
    ...file.scripts.map((name) => el("option", { value: name, text: name })))));
  const chosen = $("#draft-file").value;
  $("#draft-file").replaceChildren(...files.map((file) => el("option", { value: file.file, text: file.file })),
    el("option", { value: NEW_FILE, text: "A new file ..." }));
  if (files.some((file) => file.file === chosen)) $("#draft-file").value = chosen;
  showNewFile();
}

function showNewFile() {
  $("#draft-new-file-box").hidden = $("#draft-file").value !== NEW_FILE;
}
$("#draft-file").addEventListener("change", showNewFile);

/* ---------- one turn's expectations as form fields ---------- */

function field(id, label, control) {
  return el("div", { class: "field" }, el("label", { for: id, text: label }), control);
}

function choice(id, label, options, value) {
  const select = el("select", { id }, el("option", { value: "", text: "(any)" }),
    ...options.map(([key, text]) => el("option", { value: key, text })));
  select.value = value === undefined ? "" : String(value);
  return field(id, label, select);
}

function answerChoice(id, contentId) {
  const topics = names.topics.map((topic) => el("optgroup", { label: topic.name },
    ...names.items.filter((item) => item.topic === topic.id).map((item) => el("option", { value: item.id, text: item.title }))));
  const known = !contentId || names.items.some((item) => item.id === contentId);
  const select = el("select", { id }, el("option", { value: "", text: "(any)" }),
    known ? null : el("option", { value: contentId, text: `${contentId} (not in the content)` }), ...topics);
  select.value = contentId || "";
  return field(id, "Expected answer", select);
}

function offersChoice(index, offers) {
  if (!offers || !offers.length) return null;
  return el("fieldset", { class: "offers" }, el("legend", { text: "It asks back, offering" }),
    ...offers.map((id, n) => {
      const box = el("input", { type: "checkbox", id: `draft-offers-${index}-${n}`, value: id, checked: "" });
      return el("label", { class: "inline", for: box.id }, box, ` ${names.items.find((item) => item.id === id)?.title || id}`);
    }));
}

function actionField(index, turn) {
  if (turn.restart) return el("p", { text: "The patient starts the chat again." });
  const [key, label] = turn.click !== undefined ? ["click", "The patient taps the button"] : ["user", "The patient types"];
  return field(`draft-${key}-${index}`, label, el("input", { id: `draft-${key}-${index}`, value: turn[key] }));
}

function lines(id, label, values) {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return field(id, `${label} (one per line)`, el("textarea", { id, rows: "2" }, list.join("\n")));
}

function turnFields(turn, index) {
  return el("fieldset", { class: "draft-turn", "data-turn": JSON.stringify(turn) },
    el("legend", { text: `Turn ${index + 1}` }),
    actionField(index, turn),
    el("div", { class: "fields" },
      choice(`draft-topic-${index}`, "Topic", names.topics.map((t) => [t.id, t.name]), turn.topic),
      choice(`draft-kind-${index}`, "Kind of reply", names.kinds.map((k) => [k.id, k.name]), turn.kind),
      answerChoice(`draft-content-${index}`, turn.content_id),
      choice(`draft-disclaimer-${index}`, "Disclaimer", [["true", "Shown"], ["false", "Not shown"]], turn.disclaimer),
      choice(`draft-emergency-${index}`, "Urgent-care advice", [["true", "Yes"], ["false", "No"]], turn.emergency),
      ...LISTS.map(([key, label]) => lines(`draft-${key}-${index}`, label, turn[key]))),
    offersChoice(index, turn.offers));
}

function turnFrom(box, index) {
  const turn = JSON.parse(box.dataset.turn);
  const value = (name) => $(`#draft-${name}-${index}`).value;
  const script = turn.restart ? { restart: true } : turn.click !== undefined ? { click: value("click").trim() } : { user: value("user").trim() };
  if (value("topic")) script.topic = value("topic");
  if (value("kind")) script.kind = value("kind");
  if (value("content")) script.content_id = value("content");
  const offers = [...box.querySelectorAll(".offers input:checked")].map((input) => input.value);
  if (offers.length) script.offers = offers;
  for (const [key] of LISTS) {
    const list = value(key).split("\n").map((line) => line.trim()).filter(Boolean);
    if (list.length) script[key] = list;
  }
  for (const key of ["disclaimer", "emergency"]) if (value(key)) script[key] = value(key) === "true";
  return script;
}

/* ---------- the form: a new script or a saved one ---------- */

function openForm(script, saved) {
  editing = saved;
  $("#draft-title").textContent = saved ? `Edit the script “${saved.name}”` : "The new script";
  $("#draft-name").value = script.name || "";
  $("#draft-description").value = script.description || "";
  $("#draft-file-choice").hidden = Boolean(saved);
  if (!saved) {
    $("#draft-file").value = NEW_FILE;
    $("#draft-new-file").value = "recorded.yml";
    showNewFile();
  }
  $("#draft-file-fixed").hidden = !saved;
  $("#draft-file-fixed").textContent = saved ? `Saved in dialogues/${saved.file}.` : "";
  $("#draft-turns").replaceChildren(...script.turns.map(turnFields));
  $("#draft-checked").checked = false;
  $("#draft-save").textContent = saved ? "Save the changes" : "Save the script";
  $("#draft-delete").hidden = !saved;
  $("#delete-confirm").hidden = true;
  $("#draft-status").textContent = "";
  $("#draft-form").hidden = false;
  $("#draft-title").focus();
}

$("#draft-open").addEventListener("click", async () => {
  const draft = await api("GET", `/draft?sender=${encodeURIComponent(trySender)}`);
  openForm({ turns: draft.turns }, null);
});

export async function openSaved(name) {
  const { file, hash, script } = await api("GET", `/scripts/one?name=${encodeURIComponent(name)}`);
  openForm(script, { file, name, hash });
}

$("#pick-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if ($("#pick-script").value) openSaved($("#pick-script").value);
});

function chosenFile() {
  if ($("#draft-file").value !== NEW_FILE) return $("#draft-file").value;
  const typed = $("#draft-new-file").value.trim().toLowerCase();
  return typed && !typed.endsWith(".yml") ? `${typed}.yml` : typed;
}

function scriptFromForm() {
  const turns = [...document.querySelectorAll("#draft-turns .draft-turn")].map(turnFrom);
  const description = $("#draft-description").value.trim();
  return { name: $("#draft-name").value.trim(), ...(description ? { description } : {}), turns };
}

async function save(script) {
  const confirmed = $("#draft-checked").checked;
  if (editing) {
    await api("POST", "/scripts/edit", { file: editing.file, name: editing.name, script, base_hash: editing.hash, no_personal_details: confirmed });
    return `Saved the changes to “${script.name}” in dialogues/${editing.file}.`;
  }
  const file = chosenFile();
  if (!FILE_NAME.test(file)) throw new Error(FILE_RULE);
  const known = (await api("GET", "/scripts")).find((f) => f.file === file);
  await api("POST", "/scripts", { file, script, base_hash: known ? known.hash : null, no_personal_details: confirmed });
  return `Saved “${script.name}” in dialogues/${file}.`;
}

/* After saving changes the file's hash is new, and the script may have a new name. */
async function reopened(name) {
  const { file, hash } = await api("GET", `/scripts/one?name=${encodeURIComponent(name)}`);
  editing = { file, name, hash };
  $("#draft-title").textContent = `Edit the script “${name}”`;
}

$("#draft-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const script = scriptFromForm();
  try {
    if (!script.name) throw new Error("Give the script a name.");
    $("#draft-status").textContent = await save(script);
    if (editing) await reopened(script.name);
    await loadScriptChoices();
  } catch (failure) {
    $("#draft-status").textContent = failure.message;
  }
});

$("#draft-delete").addEventListener("click", () => {
  $("#delete-question").textContent = `Delete “${editing.name}” from dialogues/${editing.file}? This cannot be undone.`;
  $("#delete-confirm").hidden = false;
  $("#delete-no").focus();
});
$("#delete-no").addEventListener("click", () => { $("#delete-confirm").hidden = true; });
$("#delete-yes").addEventListener("click", async () => {
  try {
    await api("POST", "/scripts/delete", { file: editing.file, name: editing.name, base_hash: editing.hash });
    $("#draft-form").hidden = true;
    $("#draft-status").textContent = `Deleted “${editing.name}” from dialogues/${editing.file}.`;
    editing = null;
    await loadScriptChoices();
  } catch (failure) {
    $("#delete-confirm").hidden = true;
    $("#draft-status").textContent = failure.message;
  }
});
