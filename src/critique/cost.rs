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
/// the cheapest using self-controlled actions only (None = impossible alone). Stored
/// as three numbers with NaN for "none" (a cost is never NaN): 32 bytes an account
/// rather than 48 with `Option`s, and a ranking of millions holds one per account.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountCost {
    pub account: u32,
    self_actions: f64,
    others_actions: f64,
    self_only: f64,
}

impl AccountCost {
    pub fn new(account: u32, cheapest: Option<Cost>, self_only: Option<f64>) -> AccountCost {
        debug_assert!(
            cheapest.is_none_or(|c| !c.self_actions.is_nan() && !c.others_actions.is_nan())
        );
        debug_assert!(self_only.is_none_or(|s| !s.is_nan()));
        let (self_actions, others_actions) =
            cheapest.map_or((f64::NAN, f64::NAN), |c| (c.self_actions, c.others_actions));
        AccountCost {
            account,
            self_actions,
            others_actions,
            self_only: self_only.unwrap_or(f64::NAN),
        }
    }

    /// The cheapest way in, if any.
    pub fn cheapest(&self) -> Option<Cost> {
        (!self.self_actions.is_nan()).then_some(Cost {
            self_actions: self.self_actions,
            others_actions: self.others_actions,
        })
    }

    /// The cheapest way in by self-controlled actions alone, if any.
    pub fn self_only(&self) -> Option<f64> {
        (!self.self_only.is_nan()).then_some(self.self_only)
    }
}
