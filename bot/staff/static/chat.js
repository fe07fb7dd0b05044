/* A conversation drawn as the widget shows it to patients (bot/web/static/widget.js): each
   text of the assistant is a bubble with its buttons as chips; the answer contract that
   follows a text belongs to that text, and only a text whose own contract is an emergency
   is framed as urgent. The source is part of the text ("From: ..."), as patients see it. */
import { el } from "./dom.js";

export function botBubbles(messages) {
  const entries = [];
  for (const message of messages || []) {
    if (message.text) entries.push({ text: message.text, buttons: message.buttons || [] });
    else if (message.custom && entries.length) entries[entries.length - 1].contract = message.custom;
  }
  return entries.map(({ text, buttons, contract }) => {
    const urgent = Boolean(contract && contract.kind === "emergency");
    return el("div", { class: urgent ? "bubble bot urgent" : "bubble bot" },
      urgent ? el("strong", { text: "Urgent: " }) : null,
      text,
      buttons.length ? el("div", { class: "chips" }, ...buttons.map((b) => el("span", { class: "chip", text: b.title }))) : null);
  });
}

/* What the patient did in a scripted turn: typed, tapped a button (its label), or started over. */
export function userBubble(turn) {
  if (turn.action === "restart") return el("div", { class: "bubble restart", text: "The patient starts the chat again." });
  return el("div", { class: "bubble user", text: turn.text ?? turn.label });
}
