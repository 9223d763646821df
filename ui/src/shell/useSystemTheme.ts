// Follows the OS light/dark setting, live, and returns the matching Fluent theme. The
// e2e suite can force one (the `theme` test hook, absent from production builds).
import { useEffect, useState } from "react";
import { webDarkTheme, webLightTheme, type Theme } from "@fluentui/react-components";
import { THEME_EVENT, testHooks } from "../api/testHooks";

const darkQuery = "(prefers-color-scheme: dark)";

function prefersDark(): boolean {
  const forced = testHooks()?.theme;
  if (forced) return forced === "dark";
  return typeof window.matchMedia === "function" && window.matchMedia(darkQuery).matches;
}

export function useSystemTheme(): Theme {
  const [dark, setDark] = useState(prefersDark);
  useEffect(() => {
    const follow = () => setDark(prefersDark());
    window.addEventListener(THEME_EVENT, follow);
    if (typeof window.matchMedia !== "function") return () => window.removeEventListener(THEME_EVENT, follow);
    const query = window.matchMedia(darkQuery);
    query.addEventListener("change", follow);
    return () => {
      window.removeEventListener(THEME_EVENT, follow);
      query.removeEventListener("change", follow);
    };
  }, []);
  return dark ? webDarkTheme : webLightTheme;
}
