import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { Link } from "react-router";
import { describe, expect, it } from "vitest";
import { renderWithApp } from "../test/render";
import { UnsavedChangesGuard } from "./UnsavedChangesGuard";

function Editor() {
  const [text, setText] = useState("");
  return (
    <>
      <UnsavedChangesGuard dirty={text !== ""} />
      <label>
        Placement
        <input value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <Link to="/elsewhere">Go elsewhere</Link>
    </>
  );
}

const routes = [
  { path: "/", element: <Editor /> },
  { path: "/elsewhere", element: <h1>Elsewhere</h1> },
];

describe("UnsavedChangesGuard", () => {
  it("lets a clean form go without asking", async () => {
    const user = userEvent.setup();
    const { router } = renderWithApp(routes);
    await user.click(screen.getByRole("link", { name: "Go elsewhere" }));
    expect(router.state.location.pathname).toBe("/elsewhere");
  });

  it("asks before leaving typed work; staying keeps it, leaving discards it", async () => {
    const user = userEvent.setup();
    const { router } = renderWithApp(routes);
    await user.type(screen.getByLabelText("Placement"), "General education 80%");
    await user.click(screen.getByRole("link", { name: "Go elsewhere" }));
    const dialog = screen.getByRole("dialog", { name: "Unsaved changes" });
    expect(dialog.textContent).toContain("Leave this page and lose them?");
    expect(router.state.location.pathname).toBe("/");

    await user.click(screen.getByRole("button", { name: "Stay and keep editing" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect((screen.getByLabelText("Placement") as HTMLInputElement).value).toBe("General education 80%");

    await user.click(screen.getByRole("link", { name: "Go elsewhere" }));
    await user.click(screen.getByRole("button", { name: "Leave without saving" }));
    expect(router.state.location.pathname).toBe("/elsewhere");
  });

  it("Escape in the dialog means stay", async () => {
    const user = userEvent.setup();
    const { router } = renderWithApp(routes);
    await user.type(screen.getByLabelText("Placement"), "x");
    await user.click(screen.getByRole("link", { name: "Go elsewhere" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(router.state.location.pathname).toBe("/");
  });

  it("warns when the tab closes with typed work", async () => {
    const user = userEvent.setup();
    renderWithApp(routes);
    await user.type(screen.getByLabelText("Placement"), "x");
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });
});
