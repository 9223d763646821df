// One page: its title, what it is for, and where the guide describes its job (links to
// Bright Pattern's guide), in a compact header, then its working area across the
// window's width. Hidden (but kept, with its state) while another page shows; only the
// shown page carries the ids and hears files dropped on the window.
import { Fragment } from "react";
import { Caption1, Title3, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { GuideReference } from "../components/GuideReference";
import type { PageInfo } from "../pages";
import { PageActiveContext } from "./pageActive";

const useStyles = makeStyles({
  page: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    maxWidth: "1600px",
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
  },
  // The class's display would otherwise override the hidden attribute's.
  hidden: { display: "none" },
  header: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  title: { margin: 0 },
  purpose: { margin: 0, color: tokens.colorNeutralForeground2 },
  guide: { margin: 0, color: tokens.colorNeutralForeground3 },
});

export function PageView({ page, active }: { page: PageInfo; active: boolean }) {
  const styles = useStyles();
  return (
    <section
      className={mergeClasses(styles.page, !active && styles.hidden)}
      hidden={!active}
      data-testid={active ? `page-${page.id}` : undefined}
      data-page-view={page.id}
      data-active={active}
    >
      <header className={styles.header} data-testid={active ? "page-header" : undefined}>
        <Title3 as="h2" id={active ? "page-title" : undefined} className={styles.title}>
          {page.title}
        </Title3>
        <Caption1 as="p" className={styles.purpose} data-testid={active ? "page-purpose" : undefined}>
          {page.purpose}
        </Caption1>
        <Caption1 as="p" className={styles.guide}>
          Guide:{" "}
          {page.guide.map((reference, i) => (
            <Fragment key={reference}>
              {i > 0 && " and "}
              <GuideReference reference={reference} />
            </Fragment>
          ))}
        </Caption1>
      </header>
      <PageActiveContext.Provider value={active}>{page.body && <page.body />}</PageActiveContext.Provider>
    </section>
  );
}
