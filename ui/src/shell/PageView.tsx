// One page: its title, what it is for, and where the guide describes its job.
import { Body1, Caption1, Title2, makeStyles, tokens } from "@fluentui/react-components";
import type { PageInfo } from "../pages";

const useStyles = makeStyles({
  page: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    maxWidth: "980px",
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
  },
  guide: { color: tokens.colorNeutralForeground3 },
});

export function PageView({ page }: { page: PageInfo }) {
  const styles = useStyles();
  return (
    <section className={styles.page} data-testid={`page-${page.id}`}>
      <Title2 as="h2" id="page-title">
        {page.title}
      </Title2>
      <Body1 as="p" data-testid="page-purpose">
        {page.purpose}
      </Body1>
      <Caption1 as="p" className={styles.guide}>
        Guide: {page.guide}
      </Caption1>
      {page.body && <page.body />}
    </section>
  );
}
