// The left navigation: the product name and a vertical tab list of the pages, usable
// with arrow keys, Enter and Space.
import { Tab, TabList, Text, makeStyles, tokens } from "@fluentui/react-components";
import { pages, type PageId } from "../pages";

const useStyles = makeStyles({
  nav: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalM}`,
  },
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
  return (
    <nav className={styles.nav} aria-label="Dynbridge">
      <Text as="h1" size={500} weight="semibold" className={styles.brand}>
        Dynbridge
      </Text>
      <TabList
        vertical
        size="large"
        className={styles.tabs}
        selectedValue={current}
        onTabSelect={(_, data) => onSelect(data.value as PageId)}
        aria-label="Pages"
      >
        {pages.map((page) => (
          <Tab key={page.id} value={page.id} icon={<page.icon />} data-page={page.id}>
            {page.title}
          </Tab>
        ))}
      </TabList>
    </nav>
  );
}
