/* The staff console (bot/staff/console.py): sign in, run scripts, past runs, record or edit
   a script, what patients ask. Plain DOM modules, no framework; every text is set as text,
   never as HTML. */
import { $, api, el, names, plural, whenSignedOut } from "./dom.js";
import { RunView, runSummary } from "./results.js";
import { loadRuns } from "./runs.js";
import { loadScriptChoices, newConversation, openSaved, sendTry } from "./editor.js";
import { loadInsights } from "./insights.js";

/* ---------- signing in ---------- */

function showSignIn() {
  $("#console").hidden = true;
  $("#who").hidden = true;
  $("#sign-out").hidden = true;
  $("#sign-in").hidden = false;
  $("#name").focus();
}
whenSignedOut(showSignIn);

async function start() {
  try {
    Object.assign(names, await api("GET", "/me"));
  } catch (failure) {
    if (failure.status === 401) return;
    throw failure;
  }
  $("#sign-in").hidden = true;
  $("#console").hidden = false;
  $("#who").hidden = false;
  $("#who").textContent = `Signed in as ${names.name}`;
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

async function editScript(name) {
  show("record");
  await openSaved(name);
}

const loaders = {
  run: loadScripts,
  runs: () => loadRuns(editScript),
  record: loadScriptChoices,
  insights: () => loadInsights(tryButton),
};

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

/* ---------- run scripts ---------- */

const boxes = () => [...document.querySelectorAll("#script-list input")];

function countSelected() {
  const all = boxes();
  $("#script-picker-summary").textContent = `Scripts to run: ${all.filter((box) => box.checked).length} of ${plural(all.length, "script")} selected`;
}

async function loadScripts() {
  const files = await api("GET", "/scripts");
  $("#script-list").replaceChildren(...files.map((file) => el("div", { class: "file-group" },
    el("strong", { text: file.file }),
    ...file.scripts.map((name, index) => {
      const id = `script-${file.file}-${index}`.replace(/[^A-Za-z0-9_-]/g, "-");
      return el("div", {}, el("input", { type: "checkbox", id, value: name, checked: "" }), el("label", { for: id, text: name }));
    }))));
  countSelected();
}

function tick(checked) {
  for (const box of boxes()) box.checked = checked;
  countSelected();
}
$("#select-all").addEventListener("click", () => tick(true));
$("#select-none").addEventListener("click", () => tick(false));
$("#script-list").addEventListener("change", countSelected);

const current = new RunView($("#run-result"), editScript);
let playing = null;

$("#run-stop").addEventListener("click", async () => {
  $("#run-stop").disabled = true;
  try {
    await api("POST", `/runs/${playing}/stop`, {});
    $("#run-progress").textContent = `Stopping run ${playing}: the scripts being played finish first ...`;
  } catch (failure) {
    $("#run-progress").textContent = failure.message;
  }
});

async function follow(id) {
  let run;
  do {
    await new Promise((resolve) => setTimeout(resolve, 500));
    run = await api("GET", `/runs/${id}`);
    current.show(run);
    $("#run-progress").textContent = `Run ${id}: ${runSummary(run)}${run.finished && !run.stopped ? " Finished." : ""}`;
  } while (!run.finished);
}

$("#run-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const chosen = boxes().filter((box) => box.checked).map((box) => box.value);
  if (!chosen.length) {
    $("#run-progress").textContent = "Select at least one script.";
    return;
  }
  const submit = event.submitter || $("#run-form button[type=submit]");
  submit.disabled = true;
  try {
    ({ id: playing } = await api("POST", "/runs", { scripts: chosen }));
    $("#script-picker").open = false; // the results come right under the buttons
    $("#run-stop").hidden = false;
    $("#run-stop").disabled = false;
    await follow(playing);
  } catch (failure) {
    $("#run-progress").textContent = failure.message;
  } finally {
    submit.disabled = false;
    $("#run-stop").hidden = true;
  }
});

/* ---------- "Try it" and "Save as script" on a patient's question ---------- */

function tryButton(question, save) {
  const label = save ? "Save as script" : "Try it";
  const button = el("button", { type: "button", text: label, "aria-label": `${label}: ${question.text}` });
  button.addEventListener("click", async () => {
    show("record");
    newConversation();
    await sendTry(question.text, question.ref);
    if (save && !$("#draft-open").disabled) $("#draft-open").click();
  });
  return button;
}

start();
