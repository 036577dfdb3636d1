//! diagnostics (in progress)
