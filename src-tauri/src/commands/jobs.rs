//! Cancel for the jobs the UI names as it starts them: the quick online jobs (Test
//! connection, the Doctor, the org's apps and roles, the channel provider push), whose
//! session checks the flag before each request and while it waits out a throttle or an
//! outage, and loading a list on the Screen pop page, which is then not kept. A job's
//! flag is forgotten when the job ends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tauri::State;

use super::{blocking, CommandError};

/// The error a job answers when it was cancelled in time (the UI knows it as such).
pub const CANCELLED: &str = "cancelled";

/// The cancel flags of the jobs under way, by the name the UI gave each.
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Jobs {
    /// Registers the job `name` for as long as the returned guard lives.
    pub fn start(&self, name: String) -> RunningJob<'_> {
        let cancel = Arc::new(AtomicBool::new(false));
        self.flags().insert(name.clone(), Arc::clone(&cancel));
        RunningJob {
            jobs: self,
            name,
            cancel,
        }
    }

    fn flags(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A job under way: its cancel flag, for the blocking thread that does the work.
pub struct RunningJob<'a> {
    jobs: &'a Jobs,
    name: String,
    cancel: Arc<AtomicBool>,
}

impl RunningJob<'_> {
    fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Runs `work` on a blocking thread, handing it the job's cancel flag, and ends the
    /// job; `what` names the work in the error when the thread itself fails.
    pub async fn run<T: Send + 'static>(
        self,
        what: &str,
        work: impl FnOnce(&AtomicBool) -> Result<T, CommandError> + Send + 'static,
    ) -> Result<T, CommandError> {
        let cancel = self.cancel_flag();
        blocking(what, move || work(&cancel)).await
    }
}

impl Drop for RunningJob<'_> {
    /// Forgets the job, unless its name has been taken by a newer job since.
    fn drop(&mut self) {
        let mut flags = self.jobs.flags();
        if flags
            .get(&self.name)
            .is_some_and(|flag| Arc::ptr_eq(flag, &self.cancel))
        {
            flags.remove(&self.name);
        }
    }
}

/// Asks the job `job` to stop; a job that has ended already is left alone.
#[tauri::command]
pub fn job_cancel(job: String, jobs: State<'_, Jobs>) {
    if let Some(cancel) = jobs.flags().get(&job) {
        cancel.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_only_its_own_job_and_ended_jobs_are_forgotten() {
        let jobs = Jobs::default();
        let doctor = jobs.start("doctor-1".into());
        let test = jobs.start("test-1".into());
        if let Some(flag) = jobs.flags().get("doctor-1") {
            flag.store(true, Ordering::SeqCst);
        }
        assert!(doctor.cancel_flag().load(Ordering::SeqCst));
        assert!(!test.cancel_flag().load(Ordering::SeqCst));
        drop(doctor);
        drop(test);
        assert!(jobs.flags().is_empty());
    }

    #[test]
    fn a_name_taken_again_belongs_to_the_newer_job() {
        let jobs = Jobs::default();
        let older = jobs.start("job-1".into());
        let newer = jobs.start("job-1".into());
        drop(older);
        let flags = jobs.flags();
        let kept = flags.get("job-1").expect("the newer job is still known");
        assert!(Arc::ptr_eq(kept, &newer.cancel));
    }
}
