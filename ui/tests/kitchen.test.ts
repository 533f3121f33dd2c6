import { describe, expect, it } from "vitest";
import { elapsedText, urgency } from "../src/pages/kitchen";

describe("kitchen display", () => {
  it("colours a ticket by the screen's thresholds, red winning when they cross", () => {
    const limits = { warning: 10, late: 20 };
    expect(urgency(0, limits)).toBe("ok");
    expect(urgency(599, limits)).toBe("ok");
    expect(urgency(600, limits)).toBe("warn");
    expect(urgency(1200, limits)).toBe("late");
    expect(urgency(-30, limits)).toBe("ok");
    expect(urgency(6 * 60, { warning: 30, late: 5 })).toBe("late");
  });

  it("shows elapsed time as minutes:seconds, hours past an hour", () => {
    expect(elapsedText(0)).toBe("0:00");
    expect(elapsedText(425)).toBe("7:05");
    expect(elapsedText(3723)).toBe("1:02:03");
    expect(elapsedText(-5)).toBe("0:00");
  });
});
