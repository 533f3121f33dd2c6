// Conversations with diners: the list of chats, a chat view, and a composer. Staff can
// open a test or phone chat (channel "panel"), write as the diner to let the assistant
// answer, or take a chat over (handoff) and answer as staff until they hand it back.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { clp, dateTime } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import type { Params } from "../lib/router";
import { can } from "../lib/session";
import { assistantWithoutModel, lastHealth } from "../lib/health";
import { empty, failure, formError, input, loading, onSubmit, pageHeader } from "../lib/ui";

type Conversation = S["Conversation"];
type Detail = S["ConversationDetail"];

export function renderConversations(root: HTMLElement, params: Params = {}): void {
  const list = h("div", { class: "conv-list" }, loading());
  const chat = h("div", { class: "conv-chat card" }, empty(t("conv_pick")));
  const writer = can("conversations:write");
  const start = writer
    ? h("button", {
        class: "btn primary",
        onclick: async () => {
          try {
            const created = await api.post("/api/v1/conversations", { body: { channel: "panel" } });
            await refreshList();
            void open(created.id);
          } catch (error) {
            mount(chat, failure(error));
          }
        },
      }, `+ ${t("conv_new")}`)
    : null;
  // Staff should know when the assistant answers on rules alone (no model reachable).
  const noModel = assistantWithoutModel(lastHealth(), t);
  mount(root, pageHeader(t("nav_conversations"), start),
    noModel ? h("p", { class: "card hint", role: "status", dataset: { test: "assistant-no-model" } }, noModel) : null,
    h("div", { class: "conversations" }, list, chat));

  const refreshList = async () => {
    try {
      const page = await api.get("/api/v1/conversations", { query: { limit: 100 } });
      mount(list, page.items.length === 0 ? empty(t("conv_empty")) : page.items.map((c: Conversation) =>
        h("button", { class: "btn list-item", onclick: () => void open(c.id) },
          h("strong", null, `${tk(`conv_channel_${c.channel}`)} · ${dateTime(c.updated_at, lang())}`),
          h("small", { class: "muted" }, tk(`conv_status_${c.status}`)))));
    } catch (error) {
      mount(list, failure(error, () => void refreshList()));
    }
  };

  const open = async (id: string) => {
    mount(chat, loading());
    try {
      const detail = await api.get("/api/v1/conversations/{id}", { path: { id } });
      showChat(detail);
    } catch (error) {
      mount(chat, failure(error));
    }
  };

  const showChat = (detail: Detail) => {
    const handedOff = detail.status === "handoff";
    const bubbles = h("div", { class: "bubbles" },
      detail.messages.length === 0 ? empty(t("conv_no_messages")) : detail.messages.map((m: S["Message"]) =>
        h("div", { class: `bubble ${m.role}` },
          h("small", { class: "muted" }, `${tk(`conv_role_${m.role}`)} · ${dateTime(m.created_at, lang())}`),
          h("p", null, m.text))));
    const draft = detail.draft as { lines?: { name: string; quantity: number }[]; total?: number } | null;
    const draftView = draft && Array.isArray(draft.lines) && draft.lines.length > 0
      ? h("div", { class: "card" }, h("strong", null, t("conv_draft")),
          h("ul", null, draft.lines.map((l) => h("li", null, `${l.quantity}× ${l.name}`))),
          typeof draft.total === "number" ? h("p", null, `${t("total")}: ${clp(draft.total)}`) : null)
      : null;
    const text = input("text", { placeholder: handedOff ? t("conv_reply_staff") : t("conv_reply_diner"), required: true, autocomplete: "off" });
    const form = h("form", { class: "form inline" }, text, formError(), h("button", { class: "btn primary", type: "submit" }, t("send")));
    onSubmit(form, async (values) => {
      await api.post("/api/v1/conversations/{id}/messages", {
        path: { id: detail.id },
        body: { text: values.text ?? "", role: handedOff ? "staff" : "diner" },
      });
      await open(detail.id);
      void refreshList();
    });
    const toggle = h("button", {
      class: "btn",
      onclick: async () => {
        try {
          if (handedOff) await api.post("/api/v1/conversations/{id}/release", { path: { id: detail.id } });
          else await api.post("/api/v1/conversations/{id}/handoff", { path: { id: detail.id } });
          await open(detail.id);
          void refreshList();
        } catch (error) {
          mount(chat, failure(error));
        }
      },
    }, handedOff ? t("conv_release") : t("conv_handoff"));
    mount(chat,
      h("div", { class: "conv-head" }, h("strong", null, `${tk(`conv_channel_${detail.channel}`)} · ${tk(`conv_status_${detail.status}`)}`), writer ? toggle : null),
      bubbles, draftView, writer && detail.status !== "closed" ? form : null);
    bubbles.scrollTop = bubbles.scrollHeight;
  };

  void refreshList();
  if (params.id) void open(params.id);
}
