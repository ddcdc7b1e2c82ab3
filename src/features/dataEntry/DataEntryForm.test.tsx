import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderPlain } from "../../test/render";
import { DataEntryForm, type Measurement } from "./DataEntryForm";

describe("DataEntryForm, keyboard only", () => {
  it("records with Enter, clears the value, keeps the date and returns focus for the next entry", async () => {
    const user = userEvent.setup();
    const recorded: Measurement[] = [];
    renderPlain(<DataEntryForm unit="wcpm" today="2025-10-13" onRecord={async (m) => void recorded.push(m)} />);
    const value = screen.getByLabelText(/Value \(wcpm\)/);
    expect(document.activeElement).toBe(value);
    await user.keyboard("57{Enter}");
    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({ recordedDate: "2025-10-13", measurementValue: 57, settingType: "classroom", masteryLevel: "developing" });
    await waitFor(() => expect(document.activeElement).toBe(value));
    expect((value as HTMLInputElement).value).toBe("");
    expect(screen.getAllByRole("status").some((el) => el.textContent === "Measurement recorded: 57 on Oct 13, 2025.")).toBe(true);

    // Tab to the date (kept), then to the setting: choose with the keyboard and record again.
    await user.keyboard("61");
    await user.tab();
    expect(document.activeElement).toBe(screen.getByLabelText(/^Date/));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByLabelText("Setting"));
    await user.selectOptions(screen.getByLabelText("Setting"), "therapy");
    await user.click(screen.getByRole("button", { name: "Record" }));
    await waitFor(() => expect(recorded).toHaveLength(2));
    expect(recorded[1]).toMatchObject({ measurementValue: 61, settingType: "therapy", recordedDate: "2025-10-13" });
  });

  it("refuses a value that is not a number, says why and keeps focus on it", async () => {
    const user = userEvent.setup();
    const onRecord = vi.fn(async () => undefined);
    renderPlain(<DataEntryForm unit="wcpm" today="2025-10-13" onRecord={onRecord} />);
    await user.keyboard("abc{Enter}");
    expect(onRecord).not.toHaveBeenCalled();
    const value = screen.getByLabelText(/Value \(wcpm\)/);
    expect(value.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toBe("Enter a number.");
    expect(document.activeElement).toBe(value);
  });

  it("accepts a decimal comma and shows the server's refusal without losing the typed value", async () => {
    const user = userEvent.setup();
    const onRecord = vi.fn(async (m: Measurement) => {
      if (m.measurementValue === 2.5) throw new Error("This goal is archived.");
    });
    renderPlain(<DataEntryForm unit="steps" today="2025-10-13" onRecord={onRecord} />);
    await user.keyboard("2,5{Enter}");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("This goal is archived."));
    expect((screen.getByLabelText(/Value \(steps\)/) as HTMLInputElement).value).toBe("2,5");
  });
});
