// The app shell: theme, navigation between the pages, and the status bar.
import { useMemo, useState } from "react";
import { FluentProvider, makeStyles, tokens } from "@fluentui/react-components";
import { pages, type PageId } from "./pages";
import { Navigation } from "./shell/Navigation";
import { PageView } from "./shell/PageView";
import { StatusBar } from "./shell/StatusBar";
import { useSystemTheme } from "./shell/useSystemTheme";
import { NavigationContext, type Handoff } from "./shell/navigation";

const useStyles = makeStyles({
  root: {
    display: "grid",
    gridTemplateColumns: "240px 1fr",
    gridTemplateRows: "1fr auto",
    height: "100vh",
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  main: {
    overflow: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    borderLeft: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  status: { gridColumn: "1 / -1" },
});

export function App() {
  const theme = useSystemTheme();
  const styles = useStyles();
  const [current, setCurrent] = useState<PageId>("accounts");
  const [handoff, setHandoff] = useState<Handoff | null>(null);
  const navigation = useMemo(
    () => ({
      navigate: (page: PageId, next?: Handoff) => {
        setHandoff(next ?? null);
        setCurrent(page);
      },
      handoff,
    }),
    [handoff],
  );
  const page = pages.find((p) => p.id === current) ?? pages[0]!;
  return (
    <FluentProvider theme={theme}>
      <div className={styles.root}>
        <Navigation current={current} onSelect={(id) => navigation.navigate(id)} />
        <main className={styles.main} id="main" aria-labelledby="page-title">
          <NavigationContext.Provider value={navigation}>
            <PageView key={page.id} page={page} />
          </NavigationContext.Provider>
        </main>
        <div className={styles.status}>
          <StatusBar />
        </div>
      </div>
    </FluentProvider>
  );
}
