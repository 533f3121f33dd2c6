import { describe, expect, it } from "vitest";
import { isOwnerCode, normalizeCode } from "../src/lib/recovery";

describe("recovery codes", () => {
  it("tells the owner's cloud code from the counter's printed one", () => {
    expect(isOwnerCode("ABCD-EFGH-JKMN")).toBe(true);
    expect(isOwnerCode(" abcd efgh jkmn ")).toBe(true);
    expect(isOwnerCode("ABCD-EFGH-JKMN-PQRS-TUVW")).toBe(false);
    expect(isOwnerCode("")).toBe(false);
  });
  it("compares like the servers: case, spaces and dashes do not count", () => {
    expect(normalizeCode("ab-cd ef")).toBe("ABCDEF");
  });
});
