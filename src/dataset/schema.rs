//! Column names of the canonical tables. Every reader and writer uses these constants,
//! never string literals, so a rename happens in one place.

/// accounts: the account id (string, unique, required).
pub const ACCOUNT: &str = "account";
/// accounts: the display label (optional: a handle or name, shown in charts, the report
/// and beside the id in every output table; seed lists may name accounts by it). An
/// account without one is shown by its id.
pub const LABEL: &str = "label";
/// accounts: platform-reported follower count (optional, integer >= 0).
pub const FOLLOWERS: &str = "followers";
/// accounts: platform-reported following count (optional, integer >= 0).
pub const FOLLOWING: &str = "following";
/// accounts: platform-reported status (tweet) count (optional, integer >= 0).
pub const STATUSES: &str = "statuses";
/// The platform counts: when present they must be integers >= 0.
pub const COUNT_COLUMNS: [&str; 3] = [FOLLOWERS, FOLLOWING, STATUSES];

/// follows: the account that follows.
pub const FOLLOWER: &str = "follower";
/// follows: the account followed.
pub const FOLLOWEE: &str = "followee";

/// interactions: who acts (replies, mentions, retweets).
pub const SOURCE: &str = "source";
/// interactions: who is addressed or amplified.
pub const TARGET: &str = "target";
/// interactions: `reply` | `mention` | `retweet` | `quote` | any other string.
pub const KIND: &str = "kind";
/// interactions: optional time, RFC 3339 or Unix seconds.
pub const TIME: &str = "time";
/// interactions: optional weight, default 1.
pub const WEIGHT: &str = "weight";
/// interactions: optional hashtag or chat id.
pub const TAG: &str = "tag";

/// Which canonical table a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Accounts,
    Follows,
    Interactions,
}

impl TableKind {
    /// Columns that must be present (after the user's column mapping).
    pub fn required(self) -> &'static [&'static str] {
        match self {
            TableKind::Accounts => &[ACCOUNT],
            TableKind::Follows => &[FOLLOWER, FOLLOWEE],
            TableKind::Interactions => &[SOURCE, TARGET, KIND],
        }
    }

    /// Optional canonical columns (anything else in accounts is an attribute).
    pub fn optional(self) -> &'static [&'static str] {
        match self {
            TableKind::Accounts => &[LABEL, FOLLOWERS, FOLLOWING, STATUSES],
            TableKind::Follows => &[],
            TableKind::Interactions => &[TIME, WEIGHT, TAG],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TableKind::Accounts => "accounts",
            TableKind::Follows => "follows",
            TableKind::Interactions => "interactions",
        }
    }
}
