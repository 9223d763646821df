// Choosing the integration account an online check runs with (the default one first),
// from the accounts the whole app shares, so an account added on the Accounts page is
// offered at once on every page; while there is none, what to do first.
import { useEffect, useState } from "react";
import { Dropdown, Field, Option, Text } from "@fluentui/react-components";
import { accounts, type AccountView } from "../api";
import { share, useShared } from "../shell/shared";

/** Reads the accounts again (after a change) for every page. */
export function reloadAccounts(): Promise<AccountView[]> {
  return accounts.list().then((views) => {
    share({ accounts: views });
    return views;
  });
}

/** The accounts and the chosen account's id (the default account until one is chosen). */
export function useAccounts(): { list: AccountView[]; id: string | null; setId: (id: string) => void } {
  const { accounts: list } = useShared();
  const [chosen, setId] = useState<string | null>(null);
  useEffect(() => {
    reloadAccounts().catch(() => share({ accounts: [] }));
  }, []);
  const id = list.some((v) => v.account.id === chosen)
    ? chosen
    : ((list.find((v) => v.account.default) ?? list[0])?.account.id ?? null);
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

/** Where an online check would offer the accounts and there is none yet: what to do first, and `why`. */
export function AddAccountFirst({ why }: { why: string }) {
  return <Text data-testid="add-account-first">Add an integration account on the Accounts page first: {why}</Text>;
}
