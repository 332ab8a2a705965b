//! Method parameters: every method reads its own typed parameters from the same
//! key/value table, whether they came from a study file (`[[ranking]]` keys) or from
//! quick-mode flags (`--min-follows 5` becomes `min_follows = 5`).

use std::borrow::Cow;

use anyhow::{Context, Result, bail};
use serde::de::DeserializeOwned;

use crate::dataset::{InteractionFilter, interaction_graph};
use crate::graph::Graph;
use crate::rankings::{Input, conversation};

/// Parse a method's parameter table into its typed config, naming the method on error.
/// A single string where the method expects a list of strings is read as a one-element
/// list (`kinds = "retweet"`, `--param kinds=retweet`): there is one way to mean it.
pub fn parse<T: DeserializeOwned>(method: &str, params: &toml::Table) -> Result<T> {
    let err = match toml::Value::Table(params.clone()).try_into::<T>() {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    // A negative number where the method counts something (serde says only "expected
    // usize"): say what is wrong in the user's words.
    let text = err.to_string();
    for (k, v) in params {
        if let toml::Value::Integer(i) = v
            && *i < 0
            && text.contains(&format!("`{k}`"))
            && text.contains("expected u")
        {
            bail!(
                "parameters of method {method:?}: {k} = {i} is negative; {k} is a count, so give \
                 a whole number, 0 or more"
            );
        }
    }
    // Retry with one string value at a time wrapped in a list; a retry is kept only if it
    // parses as a whole, so a string the method wants stays a string.
    for (k, v) in params {
        if let toml::Value::String(s) = v {
            let mut t = params.clone();
            t.insert(k.clone(), toml::Value::Array(vec![s.clone().into()]));
            if let Ok(ok) = toml::Value::Table(t).try_into::<T>() {
                return Ok(ok);
            }
        }
    }
    Err(err).with_context(|| format!("parameters of method {method:?}"))
}

/// Parse a method's parameters into its algorithm's config `C` (the crate-wide `Copy`
/// config with its `DEFAULT_*` values) and the method's own keys `O` (which graph, which
/// kinds, which seed list), with no third struct copying the config's fields. A key that
/// is in neither is an error listing every key the method takes, as one struct's
/// `deny_unknown_fields` would.
pub fn parse_split<O: DeserializeOwned, C: DeserializeOwned>(
    method: &str,
    params: &toml::Table,
) -> Result<(O, C)> {
    let own = field_names::<O>();
    let config = field_names::<C>();
    let known: Vec<&str> = own.iter().chain(config.iter()).copied().collect();
    if let Some(k) = params.keys().find(|k| !known.contains(&k.as_str())) {
        let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        let expected = match list.as_slice() {
            [one] => format!("expected {one}"),
            [a, b] => format!("expected {a} or {b}"),
            _ => format!("expected one of {}", list.join(", ")),
        };
        bail!("parameters of method {method:?}: unknown field `{k}`, {expected}");
    }
    let part = |names: &[&str]| -> toml::Table {
        params
            .iter()
            .filter(|(k, _)| names.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    Ok((parse(method, &part(own))?, parse(method, &part(config))?))
}

/// The field names of a struct that derives `Deserialize`, as serde declares them.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Fields(&'static [&'static str]);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names read")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    struct Probe<'a>(&'a mut Option<Fields>);
    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = Stop;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = Some(Fields(fields));
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut found = None;
    let _ = T::deserialize(Probe(&mut found));
    found.map_or(&[], |f| f.0)
}

/// Whether an error text is about parameter `key` set to `value`: the ways messages
/// name a key are `key = value`, `` `key` `` and `"key"` (serde's), and "for key key";
/// a message about a text value quotes it (`no accounts column "likes"`).
pub fn mentions_param(text: &str, key: &str, value: &toml::Value) -> bool {
    // The text values: the value itself, or the words of a list (`by = ["likes"]`).
    let words: Vec<&str> = match value {
        toml::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).collect(),
        v => v.as_str().into_iter().collect(),
    };
    [
        format!("{key} ="),
        format!("`{key}`"),
        format!("\"{key}\""),
        format!("for key {key}"),
    ]
    .iter()
    .any(|form| text.contains(form.as_str()))
        || words.iter().any(|w| text.contains(&format!("{w:?}")))
}

/// The key of a network method that is not its algorithm's: which graph it runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnGraph {
    #[serde(default)]
    pub graph: GraphChoice,
}

/// The key of a conversation measure that is not its algorithm's: which interaction
/// kinds it reads (None = its default kinds).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfKinds {
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
}

/// Which graph a network method runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GraphChoice {
    #[default]
    Follows,
    Interactions,
}

impl GraphChoice {
    /// Follower-set inclusion, for a measure that respects it on the graph it reads:
    /// only the follow graph (unweighted) has that order.
    pub fn follower_inclusion(self) -> Option<super::Forced> {
        (self == GraphChoice::Follows).then_some(super::Forced::FollowerInclusion)
    }

    pub fn pick<'a>(self, input: &Input<'a>) -> Result<&'a Graph> {
        match self {
            GraphChoice::Follows => Ok(input.follows),
            GraphChoice::Interactions => input.interactions.ok_or_else(|| {
                anyhow::anyhow!(
                    "graph = \"interactions\" needs an interactions table; add one to the data"
                )
            }),
        }
    }

    /// The graph, restricted to interaction `kinds` when given (empty = all kinds). The
    /// kinds are checked as every conversation method checks them: a kind the data lacks
    /// is an error listing the kinds present (a typo would otherwise select nothing).
    pub fn pick_kinds<'a>(
        self,
        input: &Input<'a>,
        method: &str,
        kinds: &[String],
    ) -> Result<Cow<'a, Graph>> {
        if kinds.is_empty() {
            return self.pick(input).map(Cow::Borrowed);
        }
        if self == GraphChoice::Follows {
            bail!("`kinds` selects interaction kinds; set graph = \"interactions\" too");
        }
        let events = conversation::events(input, method)?;
        conversation::EventFilter::new(events, method, Some(kinds), conversation::ALL_KINDS)?;
        Ok(Cow::Owned(interaction_graph(
            events,
            input.accounts.len(),
            &InteractionFilter {
                kinds: kinds.to_vec(),
            },
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The method's keys and the config's are read apart; an unknown key lists both.
    #[test]
    fn split_parameters_read_both_parts_and_name_every_key() {
        #[derive(serde::Deserialize, Debug, PartialEq, Default)]
        #[serde(deny_unknown_fields, default)]
        struct Conf {
            damping: f64,
            max_iter: usize,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct Own {
            #[serde(default)]
            graph: String,
        }
        let t: toml::Table = toml::from_str("graph = \"follows\"\nmax_iter = 7").unwrap();
        let (own, conf): (Own, Conf) = parse_split("m", &t).unwrap();
        assert_eq!(own.graph, "follows");
        assert_eq!(
            conf,
            Conf {
                damping: 0.0,
                max_iter: 7
            }
        );
        let t: toml::Table = toml::from_str("dampng = 0.5").unwrap();
        let e = format!("{:#}", parse_split::<Own, Conf>("m", &t).unwrap_err());
        assert_eq!(
            e,
            "parameters of method \"m\": unknown field `dampng`, expected one of `graph`, `damping`, `max_iter`"
        );
        // The count check of `parse` still applies to each part.
        let t: toml::Table = toml::from_str("max_iter = -1").unwrap();
        let e = format!("{:#}", parse_split::<Own, Conf>("m", &t).unwrap_err());
        assert!(e.contains("max_iter = -1 is negative"), "{e}");
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct P {
        kinds: Vec<String>,
        graph: String,
    }

    /// `max_iter = -1` says the count is negative, not "expected usize".
    #[test]
    fn a_negative_count_is_named() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct C {
            max_iter: usize,
        }
        let t: toml::Table = toml::from_str("max_iter = -1").unwrap();
        let e = format!("{:#}", parse::<C>("pagerank", &t).unwrap_err());
        assert!(
            e.contains("max_iter = -1 is negative") && !e.contains("usize"),
            "{e}"
        );
        let t: toml::Table = toml::from_str("max_iter = 5").unwrap();
        assert_eq!(parse::<C>("pagerank", &t).unwrap().max_iter, 5);
    }

    #[test]
    fn messages_about_a_parameter_are_recognised() {
        let by = toml::Value::Array(vec!["likes".into()]);
        assert!(mentions_param("no accounts column \"likes\"", "by", &by));
        assert!(mentions_param(
            "damping = 2 must be",
            "damping",
            &2.0.into()
        ));
        assert!(mentions_param(
            "invalid type\nin `max_iter`",
            "max_iter",
            &1.into()
        ));
        assert!(!mentions_param("rank by a numeric column", "by", &by));
    }

    #[test]
    fn a_bare_string_is_a_one_element_list_where_a_list_is_expected() {
        let t: toml::Table = toml::from_str("kinds = \"retweet\"\ngraph = \"g\"").unwrap();
        let p: P = parse("m", &t).unwrap();
        assert_eq!(p.kinds, vec!["retweet".to_string()]);
        assert_eq!(p.graph, "g");
        // Still an error when something else is wrong too.
        let t: toml::Table = toml::from_str("kinds = \"retweet\"\ngraph = 1").unwrap();
        assert!(parse::<P>("m", &t).is_err());
    }
}
