// The left navigation: the product name and a vertical tab list of the pages, usable
// with arrow keys, Enter and Space. In a narrow window (1,100 px or less) it folds into
// a rail of icons, each named for screen readers and in a tooltip on hover and focus.
import { Tab, TabList, Text, Tooltip, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { pages, type PageId } from "../pages";
import { useMediaQuery } from "./useMediaQuery";

/** Windows this narrow or narrower show the navigation as a rail of icons. */
export const COMPACT_QUERY = "(max-width: 1100px)";

const useStyles = makeStyles({
  nav: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalM}`,
  },
  rail: { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXS}`, alignItems: "center" },
  brand: { paddingLeft: tokens.spacingHorizontalS },
  tabs: { alignItems: "stretch" },
});

export function Navigation({
  current,
  onSelect,
}: {
  current: PageId;
  onSelect: (page: PageId) => void;
}) {
  const styles = useStyles();
  const compact = useMediaQuery(COMPACT_QUERY);
  return (
    <nav className={mergeClasses(styles.nav, compact && styles.rail)} aria-label="Dynbridge" data-compact={compact}>
      <Text as="h1" size={compact ? 300 : 500} weight="semibold" className={compact ? undefined : styles.brand}>
        {compact ? <abbr title="Dynbridge">Db</abbr> : "Dynbridge"}
      </Text>
      <TabList
        vertical
        size="large"
        className={styles.tabs}
        selectedValue={current}
        onTabSelect={(_, data) => onSelect(data.value as PageId)}
        aria-label="Pages"
      >
        {pages.map((page) =>
          compact ? (
            <Tooltip key={page.id} content={page.title} relationship="label" positioning="after">
              <Tab value={page.id} icon={<page.icon />} data-page={page.id} />
            </Tooltip>
          ) : (
            <Tab key={page.id} value={page.id} icon={<page.icon />} data-page={page.id}>
              {page.title}
            </Tab>
          ),
        )}
      </TabList>
    </nav>
  );
}
