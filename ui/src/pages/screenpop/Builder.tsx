// The builder: a list column or a hardcoded record ID, and an object type, make the
// Screenpop URL (built by the Rust side, so the grammar lives in one place).
import { useEffect, useState } from "react";
import {
  Button,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { errorMessage, screenpop, type ObjectType } from "../../api";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "end", flexWrap: "wrap" },
});

export function Builder({ onBuilt }: { onBuilt: (text: string) => void }) {
  const styles = useStyles();
  const [types, setTypes] = useState<ObjectType[]>([]);
  const [source, setSource] = useState<"column" | "hardcoded">("column");
  const [column, setColumn] = useState("dyn_id");
  const [id, setId] = useState("");
  const [object, setObject] = useState("contact");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    screenpop.objectTypes().then(setTypes, (e: unknown) => setError(errorMessage(e)));
  }, []);
  const label = (t: ObjectType) =>
    t.logical_name === t.bright_pattern ? t.display_name : `${t.display_name} (Dynamics: ${t.logical_name})`;
  const selected = types.find((t) => t.bright_pattern === object);
  const build = () => {
    const idSource = source === "column" ? { kind: "column" as const, column } : { kind: "hardcoded" as const, id };
    screenpop.build(idSource, object).then(
      (text) => {
        setError(null);
        onBuilt(text);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  return (
    <>
      <RadioGroup
        layout="horizontal"
        value={source}
        onChange={(_, data) => setSource(data.value as "column" | "hardcoded")}
        aria-label="Where the record ID comes from"
      >
        <Radio value="column" label="From a list column" />
        <Radio value="hardcoded" label="Hardcoded record ID (troubleshooting)" />
      </RadioGroup>
      <div className={styles.row}>
        {source === "column" ? (
          <Field label="List column with the Dynamics IDs">
            <Input value={column} onChange={(_, d) => setColumn(d.value)} data-testid="builder-column" />
          </Field>
        ) : (
          <Field label="Record ID (GUID)">
            <Input value={id} onChange={(_, d) => setId(d.value)} placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" />
          </Field>
        )}
        <Field label="Object type">
          <Dropdown
            value={selected ? label(selected) : object}
            selectedOptions={[object]}
            onOptionSelect={(_, data) => data.optionValue && setObject(data.optionValue)}
          >
            {types.map((t) => (
              <Option key={t.bright_pattern} value={t.bright_pattern} text={label(t)}>
                {label(t)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button appearance="primary" onClick={build} data-testid="builder-build">
          Build
        </Button>
      </div>
      {error && <span role="alert">{error}</span>}
    </>
  );
}
