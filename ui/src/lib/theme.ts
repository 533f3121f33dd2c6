// The colour theme, remembered in this browser (the shell's button and the settings page
// both switch it).

export type Theme = "dark" | "light";

export function initialTheme(): Theme {
  const stored = localStorage.getItem("dysa.theme");
  if (stored === "dark" || stored === "light") return stored;
  return matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
}

export function setTheme(theme: Theme): void {
  localStorage.setItem("dysa.theme", theme);
  document.documentElement.dataset.theme = theme;
}

export function theme(): Theme {
  return (document.documentElement.dataset.theme as Theme) ?? "dark";
}
