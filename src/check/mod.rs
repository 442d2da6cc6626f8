//! Every diagnostic openfolio reports: the types (`diagnostic`) and the
//! checks over the linked model (`references`). Loading reports syntax and
//! field problems itself; this module adds what needs the whole repository.

mod diagnostic;
pub mod provenance;
pub mod references;

pub use diagnostic::{Code, Diagnostic, Severity, suggest};
