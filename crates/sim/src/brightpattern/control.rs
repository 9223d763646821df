//! What tests (and the demo) see and switch: the tenant's data, injected faults and
//! request counters. Get one from [`crate::Sim::brightpattern`].

use std::time::Duration;

use serde_json::{Map, Value};

use super::tenant::Tenant;
use super::{lock, Shared};

/// A handle on the simulator's Bright Pattern tenant.
#[derive(Clone)]
pub struct Control {
    pub(crate) state: Shared,
}

impl Control {
    /// Replaces the tenant (users, campaigns, lists, DNC lists); tokens issued so far
    /// stay valid for users that still exist.
    pub fn seed(&self, tenant: Tenant) {
        lock(&self.state).tenant = tenant;
    }

    /// The tenant as it is now, writes included.
    pub fn tenant(&self) -> Tenant {
        lock(&self.state).tenant.clone()
    }

    /// The records of a calling list as stored, in insertion order.
    pub fn records(&self, list: &str) -> Vec<Map<String, Value>> {
        let state = lock(&self.state);
        let list = state.tenant.lists.iter().find(|l| l.name == list);
        list.map(|l| l.records.clone()).unwrap_or_default()
    }

    /// The numbers of a DNC list.
    pub fn dnc_numbers(&self, dnc: &str) -> Vec<String> {
        let state = lock(&self.state);
        let list = state.tenant.dnc_lists.iter().find(|d| d.name == dnc);
        list.map(|d| d.numbers.clone()).unwrap_or_default()
    }

    /// Forgets every token issued so far: the next request with one answers 401, as
    /// when a token expires in the middle of a run.
    pub fn revoke_tokens(&self) {
        lock(&self.state).tokens.clear();
    }

    /// The next `times` requests (token requests included) answer `status`, with
    /// `Retry-After: <seconds>` when given.
    pub fn fail_next(&self, status: u16, times: usize, retry_after: Option<u64>) {
        let mut state = lock(&self.state);
        state
            .fail_next
            .extend(std::iter::repeat_n((status, retry_after), times));
    }

    /// Every request is answered after `delay` (slow answers); zero for none.
    pub fn set_delay(&self, delay: Duration) {
        lock(&self.state).delay = delay;
    }

    /// Requests received as `"METHOD vN/area/method"` (e.g. `"POST v2/callinglist/addAll"`,
    /// `"POST v2/oauth/token"`), refused ones included.
    pub fn count(&self, request: &str) -> u64 {
        lock(&self.state)
            .counts
            .get(request)
            .copied()
            .unwrap_or_default()
    }

    /// Every request received, of any kind.
    pub fn total_requests(&self) -> u64 {
        lock(&self.state).counts.values().sum()
    }

    /// Sets the counters back to zero.
    pub fn reset_counts(&self) {
        lock(&self.state).counts.clear();
    }
}
