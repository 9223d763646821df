// Choosing the integration account an online check runs with (the default one first).
import { useEffect, useState } from "react";
import { Dropdown, Field, Option } from "@fluentui/react-components";
import { accounts, type AccountView } from "../api";

/** The accounts, loaded once, and the chosen account's id (the default account first). */
export function useAccounts(): { list: AccountView[]; id: string | null; setId: (id: string) => void } {
  const [list, setList] = useState<AccountView[]>([]);
  const [id, setId] = useState<string | null>(null);
  useEffect(() => {
    accounts.list().then(
      (views) => {
        setList(views);
        setId((views.find((v) => v.account.default) ?? views[0])?.account.id ?? null);
      },
      () => setList([]),
    );
  }, []);
  return { list, id, setId };
}

export function AccountPicker({ list, id, onChange }: { list: AccountView[]; id: string | null; onChange: (id: string) => void }) {
  const selected = list.find((v) => v.account.id === id);
  return (
    <Field label="Account">
      <Dropdown value={selected?.account.name ?? ""} selectedOptions={id ? [id] : []} onOptionSelect={(_, d) => d.optionValue && onChange(d.optionValue)} data-testid="account-picker">
        {list.map((v) => (
          <Option key={v.account.id} value={v.account.id} text={v.account.name}>
            {v.account.name}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
