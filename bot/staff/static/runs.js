/* Past runs: the list (local times), one run opened below and scrolled to, and two runs
   compared in words: newly failing, newly passing, new and missing scripts. */
import { $, api, el, localTime, plural } from "./dom.js";
import { RunView, runSummary } from "./results.js";

let detail = null;

export async function loadRuns(onEdit) {
  detail = detail || new RunView($("#run-detail"), onEdit);
  const runs = await api("GET", "/runs");
  $("#runs-table tbody").replaceChildren(...runs.map((run) => el("tr", {},
    el("td", { text: `Run ${run.id}` }), el("td", {}, localTime(run.started_at)), el("td", { text: run.started_by }),
    el("td", { text: runSummary(run) }), el("td", {}, showButton(run.id)))));
  for (const select of [$("#compare-base"), $("#compare-other")]) {
    select.replaceChildren(...runs.map((run) => el("option", { value: String(run.id),
      text: `Run ${run.id}: ${new Date(run.started_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}, ${plural(run.total, "script")}` })));
  }
  if (runs.length > 1) $("#compare-base").value = String(runs[1].id);
}

function showButton(id) {
  const button = el("button", { type: "button", text: `Show run ${id}` });
  button.addEventListener("click", async () => {
    const heading = detail.show(await api("GET", `/runs/${id}`));
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  });
  return button;
}

function namesList(title, names, none) {
  return el("div", {}, el("h4", { text: `${title} (${names.length})` }),
    names.length ? el("ul", {}, ...names.map((name) => el("li", { text: name }))) : el("p", { text: none }));
}

$("#compare-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await api("GET", `/compare?base=${$("#compare-base").value}&other=${$("#compare-other").value}`);
  const [base, other] = [`run ${result.base}`, `run ${result.other}`];
  $("#compare-result").replaceChildren(
    el("p", { text: `Run ${result.other} (${plural(result.other_total, "script")}) compared with ${base} (${plural(result.base_total, "script")}):` }),
    namesList("Newly failing", result.newly_failing, `Nothing that passed in ${base} fails in ${other}.`),
    namesList("Newly passing", result.newly_passing, `Nothing that failed in ${base} passes in ${other}.`),
    namesList(`New scripts: in ${other}, not in ${base}`, result.only_in_other, `Run ${result.other} played no new script.`),
    namesList(`Missing scripts: in ${base}, not in ${other}`, result.only_in_base, `Run ${result.other} played every script of ${base}.`));
});
