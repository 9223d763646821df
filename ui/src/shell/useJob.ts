// A job the page shows running and the user can cancel: a quick online job (Test
// connection, the Doctor, the org's apps and roles, the channel provider push) or a list
// loading on the Screen pop page. Cancel asks Rust to stop the job (job_cancel) and stops
// waiting at once: whatever the job still returns is dropped, so a request already on its
// way cannot bring back a stale result. A new job cancels the one under way.
import { useEffect, useRef, useState } from "react";
import { cancelJob } from "../api";

/** What `run` resolves to when the user cancelled the job. */
export const CANCELLED = Symbol("cancelled");

/** Job names, unique for the app session: a reloaded page starts another series, while
 * jobs of the page before may still run. */
const series = Math.random().toString(36).slice(2, 8);
let jobs = 0;

/** A new job name, for a job that waits for its own result after Cancel (e.g. verify). */
export function newJobName(): string {
  return `job-${series}-${++jobs}`;
}

export function useJob() {
  const [running, setRunning] = useState(false);
  const current = useRef<{ job: string; stop: () => void } | null>(null);

  const cancel = () => {
    const job = current.current;
    if (!job) return;
    current.current = null;
    setRunning(false);
    void cancelJob(job.job);
    job.stop();
  };

  // A job outlives nothing that shows it: leaving (e.g. another account chosen) cancels it.
  useEffect(
    () => () => {
      const job = current.current;
      if (!job) return;
      current.current = null;
      void cancelJob(job.job);
      job.stop();
    },
    [],
  );

  /** Starts `call` under a new job name; resolves to its result or `CANCELLED`. */
  const run = <T>(call: (job: string) => Promise<T>): Promise<T | typeof CANCELLED> => {
    cancel();
    const job = newJobName();
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

  return { running, run, cancel };
}
