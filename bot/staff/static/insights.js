/* What patients ask: questions per topic per week (a bar chart whose labels have rows and
   columns of their own, so they never overlap, and the same figures as a table), the
   answers most often rated not helpful, and the unanswered questions by their most
   specific term, each with "Try it" and "Save as script". */
import { $, api, el, localDate, plural, topicName } from "./dom.js";

function chart(rows) {
  const max = Math.max(1, ...rows.map((row) => row.questions));
  const weeks = [...new Set(rows.map((row) => row.week))];
  return el("div", { class: "chart", role: "img",
    "aria-label": "Bar chart of the questions per topic per week; the table below has the same figures." },
  ...weeks.map((week) => el("div", { class: "chart-week" },
    el("p", { class: "chart-label chart-week-label" }, "Week of ", localDate(week)),
    ...rows.filter((row) => row.week === week).map((row) => {
      const fill = el("span", { class: "chart-fill" });
      fill.style.width = `${(100 * row.questions) / max}%`;
      return el("div", { class: "chart-row" }, el("span", { class: "chart-label", text: topicName(row.topic) }),
        el("span", { class: "chart-bar" }, fill), el("span", { class: "chart-label chart-value", text: String(row.questions) }));
    }))));
}

function group(entry, tryButton) {
  const what = entry.named ? " (a subject the content covers)" : "";
  return el("div", { class: "group" },
    el("h4", { text: `${entry.term}${what}: ${plural(entry.count, "question")}` }),
    el("ul", {}, ...entry.questions.map((question) =>
      el("li", {}, `${question.text} `, tryButton(question, false), " ", tryButton(question, true)))));
}

let asked = 0;
let tryButton = null;

export async function loadInsights(makeTryButton) {
  tryButton = makeTryButton;
  const mine = ++asked;
  const data = await api("GET", `/insights?find=${encodeURIComponent($("#find-input").value)}`);
  if (mine !== asked) return; // a later request is on its way: this answer is stale
  $("#per-week-chart").replaceChildren(chart(data.per_week));
  $("#per-week-table tbody").replaceChildren(...data.per_week.map((row) => el("tr", {},
    el("td", {}, localDate(row.week)), el("td", { text: topicName(row.topic) }), el("td", { text: String(row.questions) }))));
  $("#least-table tbody").replaceChildren(...data.least_helpful.map((row) => el("tr", {},
    el("td", { text: row.title }), el("td", { text: topicName(row.topic) }), el("td", { text: String(row.not_helpful) }),
    el("td", { text: String(row.helpful) }))));
  $("#unanswered").replaceChildren(...(data.unanswered.length ? data.unanswered.map((entry) => group(entry, tryButton))
    : [el("p", { text: "No unanswered questions." })]));
}

$("#find-form").addEventListener("submit", (event) => {
  event.preventDefault();
  loadInsights(tryButton);
});
