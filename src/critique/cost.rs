//! The vocabulary of gaming costs, shared by the closed forms ([`super::gaming`]) and the
//! search ([`super::search`]): who acts, and what entering the top N costs an account.
//! It lives apart from both so that neither imports the other's vocabulary (the search
//! is called by gaming; it must not import from it).

/// Who can change a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    SelfOnly,
    Others,
}

/// The cheapest way in for one account: units of self and of others' actions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub self_actions: f64,
    pub others_actions: f64,
}

/// Per-account costs for one ranking: the cheapest overall (None = no way found), and
/// the cheapest using self-controlled actions only (None = impossible alone).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountCost {
    pub account: u32,
    pub cheapest: Option<Cost>,
    pub self_only: Option<f64>,
}
