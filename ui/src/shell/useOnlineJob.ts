// A quick online job (Test connection, the Doctor, the org's apps and roles, the channel
// provider push) that shows it is running and can be cancelled. Cancel asks Rust to stop
// the job's session (online_cancel) and stops waiting at once: whatever the job still
// returns is dropped, so a request already on its way cannot bring back a stale result.
import { useRef, useState } from "react";
import { online } from "../api";

/** What `run` resolves to when the user cancelled the job. */
export const CANCELLED = Symbol("cancelled");

/** Job names, unique for the app session. */
let jobs = 0;

export function useOnlineJob() {
  const [running, setRunning] = useState(false);
  const current = useRef<{ job: string; stop: () => void } | null>(null);

  /** Starts `call` under a new job name; resolves to its result or `CANCELLED`. */
  const run = <T>(call: (job: string) => Promise<T>): Promise<T | typeof CANCELLED> => {
    const job = `job-${++jobs}`;
    setRunning(true);
    return new Promise<T | typeof CANCELLED>((resolve, reject) => {
      current.current = { job, stop: () => resolve(CANCELLED) };
      call(job)
        .then(resolve, reject)
        .finally(() => {
          if (current.current?.job !== job) return;
          current.current = null;
          setRunning(false);
        });
    });
  };

  const cancel = () => {
    const job = current.current;
    if (!job) return;
    current.current = null;
    setRunning(false);
    void online.cancel(job.job);
    job.stop();
  };

  return { running, run, cancel };
}
