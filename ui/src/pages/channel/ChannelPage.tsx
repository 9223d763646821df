// The Channel provider page: the CIF "New Channel Provider" form built from the tenant
// and the Dynamics URL, checked as you type, with each value ready to copy, the record
// body and the checklist to export, and a checker for a Channel URL already in use.
// Save, the exports and the push to Dynamics are in the command bar at the top.
import { useEffect, useState } from "react";
import {
  Dropdown,
  Field,
  Input,
  Option,
  SpinButton,
  Subtitle2,
  Switch,
  ToolbarButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular, SaveRegular } from "@fluentui/react-icons";
import { channel, errorMessage, pickSavePath, type ChannelInputs, type OrgChoices } from "../../api";
import { CommandBar } from "../../components/CommandBar";
import { CopyValue } from "../../components/CopyValue";
import { GuideText } from "../../components/GuideReference";
import { REGISTER_REDIRECT_URI } from "../../components/guide";
import { Notice } from "../../components/Notice";
import { FindingsList, fieldValidation, notBeside } from "../../components/FindingsList";
import { share } from "../../shell/shared";
import { useConfirm } from "../../shell/toasts";
import { useLatest } from "../../shell/useLatest";
import { useTouched } from "../../shell/useTouched";
import { NamePicker } from "./NamePicker";
import { ChannelUrlChecker } from "./ChannelUrlChecker";
import { PushPanel } from "./PushPanel";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXL },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(260px, 1fr))",
    gap: tokens.spacingHorizontalL,
    alignItems: "start",
  },
});

export const DEFAULTS: ChannelInputs = {
  tenant: "",
  org: "",
  name: "Bright Pattern",
  label: "Bright Pattern Agent Desktop",
  outbound: true,
  order: 0,
  api_version: "1.0",
  apps: [],
  roles: [],
};

/** The form's fields, whose findings show beside them. */
const FIELDS = [
  "Bright Pattern tenant",
  "Dynamics URL",
  "Name",
  "Label",
  "Channel Order",
  "API Version",
  "Unified Interface apps",
  "Roles",
];

/** Until the org's apps and roles are loaded, their IDs are pasted. */
const PICK_HINT = "Choose them by name after \u201cLoad apps and roles\u201d at the top of the page, or paste IDs one per line";

export function ChannelPage() {
  const styles = useStyles();
  const [inputs, setInputs] = useState<ChannelInputs>(DEFAULTS);
  const [error, setError] = useState<string | null>(null);
  const confirm = useConfirm();
  /** The org's apps and roles, once loaded under "Push to Dynamics". */
  const [choices, setChoices] = useState<OrgChoices | null>(null);

  /** The saved settings are in the form (until then the Doctor reads them itself). */
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    channel.load().then(
      (saved) => {
        setInputs(saved);
        setLoaded(true);
        // The saved Dynamics URL, for the pages that have none typed yet.
        share((shared) => ({ org: shared.org || saved.org }));
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);
  // The form as it stands, pushed or not, is what the Doctor looks for in the org.
  useEffect(() => {
    if (loaded) share({ channel: inputs });
  }, [loaded, inputs]);
  const result = useLatest(() => channel.build(inputs), JSON.stringify(inputs));
  const findings = result?.findings ?? [];
  const touched = useTouched();
  const set = <K extends keyof ChannelInputs>(key: K, value: ChannelInputs[K]) => setInputs({ ...inputs, [key]: value });
  /** A field's Field props: its findings once touched, and marking it touched on blur. */
  const checked = (field: string) => ({
    ...fieldValidation(findings, field, touched.shows(field)),
    onBlur: () => touched.touch(field),
  });

  const save = () => {
    touched.touchAll();
    return channel.save(inputs).then(
      (path) => {
        setError(null);
        confirm("Saved", `The channel provider's settings to ${path}.`, "channel-saved");
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  const exportAs = async (format: "json" | "markdown") => {
    touched.touchAll();
    const json = format === "json";
    try {
      const path = await pickSavePath(
        json ? "channel-provider.json" : "channel-provider-checklist.md",
        json ? { name: "JSON", extensions: ["json"] } : { name: "Markdown", extensions: ["md"] },
      );
      if (!path) return;
      await channel.export(inputs, format, path);
      setError(null);
      confirm("Exported", `${json ? "The record JSON" : "The checklist"} to ${path}.`, "channel-exported");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <CommandBar
      label="Channel provider actions"
      testId="channel-commands"
      actions={
        <>
          <ToolbarButton icon={<SaveRegular />} appearance="primary" onClick={() => void save()} data-testid="channel-save">
            Save
          </ToolbarButton>
          <ToolbarButton icon={<ArrowDownloadRegular />} disabled={!result?.record} onClick={() => void exportAs("json")} data-testid="channel-export-json">
            Export record JSON…
          </ToolbarButton>
          <ToolbarButton icon={<ArrowDownloadRegular />} onClick={() => void exportAs("markdown")} data-testid="channel-export-checklist">
            Export checklist…
          </ToolbarButton>
        </>
      }
    >
      <div className={styles.page}>
        <Notice notice={error ? { intent: "error", text: error } : null} onDismiss={() => setError(null)} testId="channel-error" />
        <section className={styles.section} aria-labelledby="channel-inputs">
          <Subtitle2 as="h3" id="channel-inputs">
            Your tenant and organization
          </Subtitle2>
          <div className={styles.grid}>
            <Field label="Bright Pattern tenant" hint="e.g. example for example.brightpattern.com, or your custom domain" {...checked("Bright Pattern tenant")}>
              <Input value={inputs.tenant} onChange={(_, d) => set("tenant", d.value)} data-testid="channel-tenant" />
            </Field>
            <Field label="Dynamics URL" hint="The address agents open, e.g. https://contoso.crm.dynamics.com" {...checked("Dynamics URL")}>
              <Input
                value={inputs.org}
                onChange={(_, d) => {
                  set("org", d.value);
                  share({ org: d.value });
                }}
                data-testid="channel-org"
              />
            </Field>
          </div>
        </section>
        <section className={styles.section} aria-labelledby="channel-form">
          <Subtitle2 as="h3" id="channel-form">
            New Channel Provider
          </Subtitle2>
          <div className={styles.grid}>
            <Field label="Name" {...checked("Name")}>
              <Input value={inputs.name} onChange={(_, d) => set("name", d.value)} />
            </Field>
            <Field label="Label" hint="Shown as the widget's title" {...checked("Label")}>
              <Input value={inputs.label} onChange={(_, d) => set("label", d.value)} />
            </Field>
            <Field label="Enable Outbound Communication" hint="Click-to-call from phone fields">
              <Switch checked={inputs.outbound} onChange={(_, d) => set("outbound", d.checked)} label={inputs.outbound ? "Yes" : "No"} />
            </Field>
            <Field label="Channel Order" {...checked("Channel Order")}>
              <SpinButton
                value={inputs.order}
                onChange={(_, d) => {
                  const next = d.value ?? Number(d.displayValue);
                  if (Number.isInteger(next)) set("order", next);
                }}
              />
            </Field>
            <Field label="API Version" {...checked("API Version")}>
              <Dropdown
                value={inputs.api_version}
                selectedOptions={[inputs.api_version]}
                onOptionSelect={(_, d) => d.optionValue && set("api_version", d.optionValue as ChannelInputs["api_version"])}
              >
                <Option value="1.0">1.0</Option>
                <Option value="2.0">2.0</Option>
              </Dropdown>
            </Field>
            <Field label="Unified Interface apps" hint={choices ? "The org's apps, by name" : PICK_HINT} {...checked("Unified Interface apps")}>
              <NamePicker what="apps" choices={choices?.apps ?? null} ids={inputs.apps} onChange={(ids) => set("apps", ids)} />
            </Field>
            <Field label="Roles" hint={choices ? "The org's security roles, by name" : PICK_HINT} {...checked("Roles")}>
              <NamePicker what="roles" choices={choices?.roles ?? null} ids={inputs.roles} onChange={(ids) => set("roles", ids)} />
            </Field>
          </div>
          {touched.any && <FindingsList findings={notBeside(findings, FIELDS)} label="Channel provider findings" />}
        </section>
        {result && (
          <section className={styles.section} aria-labelledby="channel-values">
            <Subtitle2 as="h3" id="channel-values">
              Values to enter, in the order of the form
            </Subtitle2>
            {result.form
              .filter((v) => v.value !== "")
              .map((v) => (
                <CopyValue key={v.label} label={v.label} value={v.value} testId={v.label === "Channel URL" ? "channel-url" : undefined} />
              ))}
            {result.redirect_uri && (
              <CopyValue
                label="Redirect URI"
                hint={<GuideText text={REGISTER_REDIRECT_URI} />}
                value={result.redirect_uri}
              />
            )}
          </section>
        )}
        <PushPanel inputs={inputs} ready={Boolean(result?.record)} onPush={touched.touchAll} onChoices={setChoices} />
        <ChannelUrlChecker org={inputs.org} />
      </div>
    </CommandBar>
  );
}
