// The result of an asynchronous command for the current inputs. `key` stands for
// everything `run` depends on; a result computed for other inputs is never returned,
// so a slow answer to an old keystroke cannot overwrite a newer one.
import { useEffect, useState } from "react";

export function useLatest<T>(run: (() => Promise<T>) | null, key: string): T | null {
  const [state, setState] = useState<{ key: string; value: T } | null>(null);
  const enabled = run !== null;
  useEffect(() => {
    if (!run) return;
    let current = true;
    run().then(
      (value) => current && setState({ key, value }),
      () => current && setState(null),
    );
    return () => {
      current = false;
    };
    // `run` is a new closure each render; `key` names its inputs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, key]);
  return enabled && state?.key === key ? state.value : null;
}
