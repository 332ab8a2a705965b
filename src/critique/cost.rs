//! The vocabulary of gaming costs, shared by the closed forms ([`super::gaming`]) and the
//! search ([`super::search`]): who acts, and what entering the top N costs an account.
//! It lives apart from both so that neither imports the other's vocabulary (the search
//! is called by gaming; it must not import from it).

use crate::dataset::Numbers;

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

impl Cost {
    /// `units` actions of `actor` and nothing else.
    pub fn of(actor: Actor, units: f64) -> Cost {
        match actor {
            Actor::SelfOnly => Cost {
                self_actions: units,
                others_actions: 0.0,
            },
            Actor::Others => Cost {
                self_actions: 0.0,
                others_actions: units,
            },
        }
    }
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

/// One ranking's per-account costs, in candidate order.
#[derive(Debug, Clone, PartialEq)]
pub enum Costs {
    /// A count that one actor moves (in-degree, a column): account `accounts[i]` needs
    /// `units[i]` actions of `actor`, and nothing else. 8 bytes an account where units
    /// are counts (12 otherwise), where [`AccountCost`] takes 32: a ranking of millions
    /// holds one per account outside its top N until the tables are written.
    Units {
        actor: Actor,
        accounts: Vec<u32>,
        units: Numbers,
    },
    /// Any other costs, as found.
    Each(CostColumns),
}

/// Costs of any shape as columns: the account and its three numbers, each a
/// [`Numbers`] column (4 bytes a value while the costs are counts, as they are for
/// counts of follows and posts; 8 otherwise): 16 bytes an account instead of 32.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CostColumns {
    accounts: Vec<u32>,
    self_actions: Numbers,
    others_actions: Numbers,
    self_only: Numbers,
}

impl CostColumns {
    pub fn push(&mut self, c: AccountCost) {
        let k = c.cheapest();
        self.accounts.push(c.account);
        self.self_actions.push(k.map(|k| k.self_actions));
        self.others_actions.push(k.map(|k| k.others_actions));
        self.self_only.push(c.self_only());
    }

    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    pub fn get(&self, i: usize) -> AccountCost {
        let cheapest = self.self_actions.get(i).map(|self_actions| Cost {
            self_actions,
            others_actions: self.others_actions.get(i).expect("set with self_actions"),
        });
        AccountCost::new(self.accounts[i], cheapest, self.self_only.get(i))
    }

    /// No spare capacity (the costs are held until the tables are written).
    pub fn shrink_to_fit(&mut self) {
        self.accounts.shrink_to_fit();
        for c in [
            &mut self.self_actions,
            &mut self.others_actions,
            &mut self.self_only,
        ] {
            c.shrink_to_fit();
        }
    }
}

impl FromIterator<AccountCost> for CostColumns {
    fn from_iter<I: IntoIterator<Item = AccountCost>>(it: I) -> CostColumns {
        let mut c = CostColumns::default();
        for x in it {
            c.push(x);
        }
        c
    }
}

impl Costs {
    pub fn len(&self) -> usize {
        match self {
            Costs::Units { accounts, .. } => accounts.len(),
            Costs::Each(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Candidate `i`'s costs.
    pub fn get(&self, i: usize) -> AccountCost {
        match self {
            Costs::Units {
                actor,
                accounts,
                units,
            } => units_cost(
                *actor,
                accounts[i],
                units.get(i).expect("every candidate has its units"),
            ),
            Costs::Each(v) => v.get(i),
        }
    }

    /// Every candidate's costs, in order.
    pub fn iter(&self) -> impl Iterator<Item = AccountCost> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// The costs of `units` actions of `actor` alone: the cheapest way in, and the way
/// by self-controlled actions where the actor is the account itself.
fn units_cost(actor: Actor, account: u32, units: f64) -> AccountCost {
    AccountCost::new(
        account,
        Some(Cost::of(actor, units)),
        (actor == Actor::SelfOnly).then_some(units),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compact form reads back as the costs it stands for, for either actor.
    #[test]
    fn units_read_back_as_their_costs() {
        for actor in [Actor::SelfOnly, Actor::Others] {
            let c = Costs::Units {
                actor,
                accounts: vec![7, 3],
                units: vec![Some(2.0), Some(0.5)].into(),
            };
            let each: Vec<AccountCost> = c.iter().collect();
            assert_eq!(c.len(), 2);
            assert_eq!(each[1].account, 3);
            let k = each[0].cheapest().unwrap();
            match actor {
                Actor::SelfOnly => {
                    assert_eq!((k.self_actions, k.others_actions), (2.0, 0.0));
                    assert_eq!(each[1].self_only(), Some(0.5));
                }
                Actor::Others => {
                    assert_eq!((k.self_actions, k.others_actions), (0.0, 2.0));
                    assert_eq!(each[1].self_only(), None);
                }
            }
            // The general form of the same costs reads the same (field by field: a
            // missing cost is NaN inside, which == would not match).
            let general = Costs::Each(
                [
                    AccountCost::new(7, Some(k), each[0].self_only()),
                    AccountCost::new(3, each[1].cheapest(), each[1].self_only()),
                ]
                .into_iter()
                .collect(),
            );
            let seen = |c: &Costs| -> Vec<_> {
                c.iter()
                    .map(|k| (k.account, k.cheapest(), k.self_only()))
                    .collect()
            };
            assert_eq!(seen(&general), seen(&c));
            assert_eq!(
                general
                    .get(1)
                    .cheapest()
                    .map(|k| k.self_actions + k.others_actions),
                Some(0.5)
            );
        }
    }
}
