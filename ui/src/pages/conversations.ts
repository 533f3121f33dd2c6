// Conversations with diners (filled by the assistant). The API may not exist yet on this
// server: a 404 shows an honest "not available" state instead of an error.

import { api, ApiError } from "../api/client";
import { h, mount } from "../lib/dom";
import { dateTime } from "../lib/format";
import { lang, t } from "../lib/i18n";
import { empty, failure, loading, pageHeader } from "../lib/ui";

interface Conversation {
  id: string;
  customer_name?: string | null;
  channel?: string;
  last_message?: string | null;
  updated_at?: string;
}
interface Message {
  role: string;
  content: string;
  created_at?: string;
}

// Not in the generated client yet: the route is being built (read through `raw`).
async function getJson<T>(url: string): Promise<T> {
  const response = await api.raw("GET", url);
  const body = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new ApiError(response.status, body?.error?.code ?? "http", body?.error?.message ?? t("error_generic")), {});
  return body as T;
}

export function renderConversations(root: HTMLElement): void {
  const list = h("div", { class: "conv-list" }, loading());
  const chat = h("div", { class: "conv-chat card" }, empty(t("conv_pick")));
  mount(root, pageHeader(t("nav_conversations")), h("div", { class: "conversations" }, list, chat));
  getJson<Conversation[] | { items: Conversation[] }>("/api/v1/conversations")
    .then((data) => {
      const items = Array.isArray(data) ? data : data.items;
      mount(list, items.length === 0 ? empty(t("conv_empty")) : items.map((c) =>
        h("button", { class: "btn list-item", onclick: () => open(c) }, h("strong", null, c.customer_name ?? c.id.slice(0, 8)), h("small", { class: "muted" }, c.last_message ?? ""))));
    })
    .catch((error) => {
      if (error instanceof ApiError && error.status === 404) mount(root, pageHeader(t("nav_conversations")), empty(t("conv_unavailable")));
      else mount(list, failure(error, () => renderConversations(root)));
    });
  const open = (c: Conversation) => {
    mount(chat, loading());
    getJson<Message[] | { messages: Message[] }>(`/api/v1/conversations/${encodeURIComponent(c.id)}`)
      .then((data) => {
        const messages = Array.isArray(data) ? data : (data.messages ?? []);
        mount(chat, messages.length === 0 ? empty() : messages.map((m) =>
          h("div", { class: `bubble ${m.role}` }, m.content, m.created_at ? h("small", { class: "muted" }, dateTime(m.created_at, lang())) : null)));
      })
      .catch((error) => mount(chat, failure(error)));
  };
}
