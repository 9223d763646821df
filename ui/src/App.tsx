// The app shell: theme, navigation between the pages, the status bar and the one Toaster. A page, once
// opened, stays mounted (hidden while another shows), so its work survives navigation
// for the whole app session.
import { useMemo, useState } from "react";
import { FluentProvider, makeStyles, tokens } from "@fluentui/react-components";
import { pages, type PageId } from "./pages";
import { Navigation } from "./shell/Navigation";
import { PageView } from "./shell/PageView";
import { StatusBar } from "./shell/StatusBar";
import { AppToaster } from "./shell/toasts";
import { useSystemTheme } from "./shell/useSystemTheme";
import { NavigationContext, type Handoff } from "./shell/navigation";

const useStyles = makeStyles({
  root: {
    display: "grid",
    gridTemplateColumns: "auto minmax(0, 1fr)",
    gridTemplateRows: "minmax(0, 1fr) auto",
    height: "100vh",
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  main: {
    overflow: "auto",
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground1,
    borderLeft: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  status: { gridColumn: "1 / -1", minWidth: 0 },
});

export function App() {
  const theme = useSystemTheme();
  const styles = useStyles();
  const [current, setCurrent] = useState<PageId>("accounts");
  const [opened, setOpened] = useState<readonly PageId[]>(["accounts"]);
  const [handoff, setHandoff] = useState<Handoff | null>(null);
  const navigation = useMemo(
    () => ({
      navigate: (page: PageId, next?: Handoff) => {
        if (next) setHandoff(next);
        setOpened((open) => (open.includes(page) ? open : [...open, page]));
        setCurrent(page);
      },
      handoff,
    }),
    [handoff],
  );
  return (
    <FluentProvider theme={theme}>
      <div className={styles.root}>
        <Navigation current={current} onSelect={(id) => navigation.navigate(id)} />
        <main className={styles.main} id="main" aria-labelledby="page-title">
          <NavigationContext.Provider value={navigation}>
            {pages
              .filter((page) => opened.includes(page.id))
              .map((page) => (
                <PageView key={page.id} page={page} active={page.id === current} />
              ))}
          </NavigationContext.Provider>
        </main>
        <div className={styles.status}>
          <StatusBar />
        </div>
      </div>
      <AppToaster />
    </FluentProvider>
  );
}
