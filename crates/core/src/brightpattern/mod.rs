//! Bright Pattern Contact Center's side: connections to a tenant's List Management API
//! (`../shared/reference/brightpattern-api.md`), validated like Dynamics accounts.

pub mod connection;

pub use connection::{Connection, API_PATH};
