import { describe, expect, it } from "vitest";
import type { S } from "../src/api/client";
import { assistantWithoutModel } from "../src/lib/health";
import { setLang, t } from "../src/lib/i18n";

const health = (ollama: Partial<S["Check"]>): S["Health"] =>
  ({ status: "ok", version: "test", checks: { database: { status: "up" }, ollama: { status: "up", ...ollama }, cloud: { status: "not_configured" } } }) as S["Health"];

describe("assistant without a model", () => {
  it("says so in Spanish, naming the model to install, when Ollama is down", () => {
    setLang("es");
    const text = assistantWithoutModel(health({ status: "down", detail: "unreachable", model: "llama3.2:3b" }), t);
    expect(text).toContain("sin modelo de lenguaje");
    expect(text).toContain("llama3.2:3b");
    expect(text).not.toContain("unreachable");
  });

  it("says the model is missing when Ollama answers without it, in English too", () => {
    setLang("en");
    const text = assistantWithoutModel(health({ status: "up", model: "llama3.2:3b", model_present: false }), t);
    expect(text).toContain("model llama3.2:3b is missing");
    setLang("es");
  });

  it("says nothing when the model answers", () => {
    expect(assistantWithoutModel(health({ status: "up", model: "llama3.2:3b", model_present: true }), t)).toBeNull();
    expect(assistantWithoutModel(null, t)).toBeNull();
  });
});
