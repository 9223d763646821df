// Which fields of a form the user has touched (left after focusing it) or whether Save
// was pressed: a field's problem shows only then, so a new form does not open in red.
import { useCallback, useMemo, useState } from "react";

export interface Touched {
  /** Whether `field`'s problems may show. */
  shows: (field: string) => boolean;
  /** Whether any field's problems may show. */
  any: boolean;
  /** Marks `field` touched (call on blur). */
  touch: (field: string) => void;
  /** Marks every field touched (call on Save and the like). */
  touchAll: () => void;
}

export function useTouched(): Touched {
  const [touched, setTouched] = useState<ReadonlySet<string> | "all">(() => new Set());
  const touch = useCallback(
    (field: string) => setTouched((t) => (t === "all" || t.has(field) ? t : new Set(t).add(field))),
    [],
  );
  const touchAll = useCallback(() => setTouched("all"), []);
  return useMemo(
    () => ({
      shows: (field: string) => touched === "all" || touched.has(field),
      any: touched === "all" || touched.size > 0,
      touch,
      touchAll,
    }),
    [touched, touch, touchAll],
  );
}
