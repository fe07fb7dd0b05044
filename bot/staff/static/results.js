/* A run's results: one line per script, the failures first, each opening to its
   conversation with every expectation as a sentence, ticked or crossed; "Show failures
   only"; the versions (model and content hashes) folded away in a details element. New
   results are added in place while the run plays, so an opened script stays open. */
import { el, localTime, plural } from "./dom.js";
import { botBubbles, userBubble } from "./chat.js";

export function runSummary(run) {
  const failed = run.done - run.passed;
  if (!run.finished) return `Running: ${run.done} of ${plural(run.total, "script")} played, ${run.passed} passed.`;
  if (run.stopped) return `Stopped after ${run.done} of ${plural(run.total, "script")}: ${run.passed} passed, ${failed} failed.`;
  return failed ? `${run.passed} of ${plural(run.total, "script")} passed; ${failed} failed.` : `All ${plural(run.total, "script")} passed.`;
}

function checkItem(check) {
  const text = check.sentence
    ? `${check.sentence} ${check.passed ? "✓" : "✗"}${check.outcome ? ` (${check.outcome})` : ""}`
    : check.summary; // a run kept before checks were worded
  return el("li", { class: check.passed ? "passed" : "failed", text });
}

function conversation(result, onEdit) {
  const edit = el("button", { type: "button", text: "Edit this script" });
  edit.addEventListener("click", () => onEdit(result.name));
  const article = el("article", { "aria-label": result.name }, edit);
  for (const turn of result.turns) {
    const checks = el("ul", { class: "checks", "aria-label": `Expectations of turn ${turn.number}` },
      ...turn.checks.map(checkItem),
      turn.error ? el("li", { class: "failed", text: `Not played: ${turn.error}` }) : null);
    article.append(el("div", { class: "turn" },
      el("div", { class: "chat" }, userBubble(turn), ...botBubbles(turn.messages)), checks));
  }
  return article;
}

function resultLine(result, onEdit) {
  const details = el("details", {},
    el("summary", {},
      el("span", { class: "mark", "aria-hidden": "true", text: result.passed ? "✓" : "✗" }),
      el("span", { class: "script-name", text: result.name }),
      el("span", { class: "muted", text: ` (${result.file})` }),
      result.passed ? null : el("span", { class: "reason", text: ` ${result.failure}` })));
  details.addEventListener("toggle", () => {  // drawn when first opened: a run of 100 stays short
    if (details.open && details.children.length === 1) details.append(conversation(result, onEdit));
  });
  return el("li", { class: `result ${result.passed ? "passed" : "failed"}`, "data-name": result.name }, details);
}

export class RunView {
  constructor(container, onEdit) {
    this.container = container;
    this.onEdit = onEdit;
    this.runId = null;
  }

  show(run) {
    if (run.id !== this.runId) this.build(run);
    this.summary.replaceChildren(`${runSummary(run)} Started `, localTime(run.started_at), ` by ${run.started_by}.`);
    for (const result of run.results) {
      if (this.shown.has(result.name)) continue;
      this.shown.add(result.name);
      this.insert(result.passed ? this.passed : this.failed, resultLine(result, this.onEdit));
    }
    this.count(this.failed, "Failed", "No script failed.");
    this.count(this.passed, "Passed", "No script passed.");
    return this.heading;
  }

  build(run) {
    this.runId = run.id;
    this.shown = new Set();
    this.heading = el("h3", { id: `run-${run.id}-title`, tabindex: "-1", text: `Run ${run.id}` });
    this.summary = el("p");
    const versions = el("details", { class: "versions" }, el("summary", { text: "Model and content versions" }),
      el("dl", {}, el("dt", { text: "Model file" }), el("dd", { text: run.model_file || "unknown" }),
        el("dt", { text: "Model SHA-256 (start)" }), el("dd", { text: run.model_hash || "unknown" }),
        el("dt", { text: "Content version (SHA-256, start)" }), el("dd", { text: run.content_version })));
    const only = el("input", { type: "checkbox", id: `failures-only-${run.id}` });
    this.failed = this.group();
    this.passed = this.group();
    only.addEventListener("change", () => { this.passed.section.hidden = only.checked; });
    this.container.replaceChildren(el("section", { class: "run", "aria-labelledby": this.heading.id },
      this.heading, this.summary, versions,
      el("label", { class: "inline", for: only.id }, only, " Show failures only"),
      this.failed.section, this.passed.section));
  }

  group() {
    const [heading, list, empty] = [el("h4"), el("ul", { class: "results" }), el("p", { class: "muted" })];
    return { heading, list, empty, section: el("div", {}, heading, empty, list) };
  }

  count(group, title, none) {
    const n = group.list.children.length;
    group.heading.textContent = `${title} (${n})`;
    group.empty.textContent = n ? "" : none;
    group.empty.hidden = Boolean(n);
  }

  insert(group, line) {  // in order of name, without moving the lines already shown
    const name = line.dataset.name;
    const next = [...group.list.children].find((other) => other.dataset.name.localeCompare(name) > 0);
    group.list.insertBefore(line, next || null);
  }
}
