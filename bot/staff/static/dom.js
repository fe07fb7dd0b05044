/* Shared by the console's modules: building elements (every text set as text, never as
   HTML), calling the console's API, the names of topics, kinds and content items, and
   times in the browser's own locale and time zone. */

export const $ = (selector) => document.querySelector(selector);

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

export class Failure extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

let onSignedOut = () => {};
export function whenSignedOut(handler) { onSignedOut = handler; }

export async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(`/staff/api${path}`, options);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && path !== "/login") onSignedOut();
    throw new Failure(response.status, (data && data.error) || `HTTP ${response.status}`);
  }
  return data;
}

/* From GET /me: topics and kinds with their names, content items with their titles. */
export const names = { topics: [], kinds: [], items: [] };

const nameIn = (list, key, id) => (list.find((entry) => entry.id === id) || {})[key] || id;
export const topicName = (id) => nameIn(names.topics, "name", id);
export const kindName = (id) => nameIn(names.kinds, "name", id);
export const itemTitle = (id) => nameIn(names.items, "title", id);

/* A <time> in the browser's locale and time zone; the machine-readable value stays in `datetime`. */
export function localTime(iso) {
  return el("time", { datetime: iso, text: new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) });
}

export function localDate(day) {
  const [year, month, date] = day.split("-").map(Number);
  return el("time", { datetime: day, text: new Date(year, month - 1, date).toLocaleDateString(undefined, { dateStyle: "medium" }) });
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}
