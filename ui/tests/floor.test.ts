import { describe, expect, it } from "vitest";
import { floorLayout, lineMarks, roundBody, type DraftLine } from "../src/pages/floor";
import { cashRound } from "../src/pages/payment";
import type { S } from "../src/api/client";

const table = (name: string, x: number | null, y: number | null) =>
  ({ id: name, name, grid_x: x, grid_y: y }) as unknown as S["TableWithStatus"];

describe("the floor", () => {
  it("places tables at their cells and lists the unplaced ones, with room to drag", () => {
    const layout = floorLayout([table("1", 0, 0), table("2", 7, 2), table("3", null, null)]);
    expect(layout.placed.map((t) => t.name)).toEqual(["1", "2"]);
    expect(layout.unplaced.map((t) => t.name)).toEqual(["3"]);
    // One spare column and row past the furthest table, at least 6 × 3.
    expect(layout.cols).toBe(9);
    expect(layout.rows).toBe(4);
    expect(floorLayout([]).cols).toBe(6);
    expect(floorLayout([table("x", 49, 49)]).cols).toBe(50);
  });

  it("sends a round with each line's seat, course, modifiers and note", () => {
    const item = { id: "i1", name: "Completo", modifier_groups: [] } as unknown as S["TreeItem"];
    const draft: DraftLine[] = [
      { item, options: [], quantity: 1, note: "", seat: null, course: "drinks" },
      { item, options: [{ id: "o1" } as S["ModifierOption"]], quantity: 2, note: "sin mayo", seat: 3, course: "mains" },
    ];
    expect(roundBody(draft)).toEqual({
      lines: [
        { item_id: "i1", quantity: 1, modifiers: [], note: null, seat: null, course: "drinks" },
        { item_id: "i1", quantity: 2, modifiers: ["o1"], note: "sin mayo", seat: 3, course: "mains" },
      ],
    });
  });

  it("marks each line from the order's tickets: fired at its ticket's time, ready once bumped", () => {
    const ticket = (fired_at: string, bumped_at: string | null, lines: [string, string | null][]) =>
      ({ fired_at, bumped_at, lines: lines.map(([line_id, bumped]) => ({ line_id, bumped_at: bumped })) }) as unknown as S["KitchenTicket"];
    const marks = lineMarks([
      ticket("2026-12-07T23:41:00Z", null, [["pisco", null], ["bebida", "2026-12-07T23:44:00Z"]]),
      ticket("2026-12-07T23:50:00Z", "2026-12-08T00:05:00Z", [["lomo", null]]),
    ]);
    expect(marks.get("pisco")).toEqual({ state: "fired", at: "2026-12-07T23:41:00Z" });
    expect(marks.get("bebida")).toEqual({ state: "ready" });
    expect(marks.get("lomo")).toEqual({ state: "ready" });
    // A line in no ticket has no mark: the sheet shows it waiting.
    expect(marks.has("completo")).toBe(false);
    expect(lineMarks([]).size).toBe(0);
  });

  it("rounds a bill's cash to the nearest $10, 1–5 down and 6–9 up", () => {
    expect(cashRound(12995)).toBe(12990);
    expect(cashRound(12996)).toBe(13000);
    expect(cashRound(8490)).toBe(8490);
    expect(cashRound(0)).toBe(0);
  });
});
