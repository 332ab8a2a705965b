//! Tables declared as rows: [`table!`](crate::table) declares a table once as a struct
//! whose fields are its columns (names, order and types), and a column store the rows
//! are pushed into. A column's type says how it is written ([`Cell`]); account ids and
//! ranking and method names are codes into the run's shared [`Dicts`], so a table of
//! millions of rows holds no string per row.
//!
//! The column store keeps one vector per field: pushing a row costs what pushing into
//! hand-managed column vectors did, and no `Vec` of row structs is ever held.

use std::sync::Arc;

use super::tables::{Col, Dictionary};

/// The dictionaries coded columns index into.
pub struct Dicts {
    /// Account ids, by account index.
    pub accounts: Arc<Dictionary>,
    /// Account labels (the id where an account has none), by account index.
    pub labels: Arc<Dictionary>,
    /// Ranking names, by position in the study.
    pub rankings: Arc<Dictionary>,
    /// Method names, by ranking position in the study.
    pub methods: Arc<Dictionary>,
}

/// An account, written as its id, with its label in the next column (`label` beside a
/// field named `account`, `<field>_label` beside any other).
#[derive(Debug, Clone, Copy)]
pub struct Account(pub u32);

/// A ranking, by its position in the study, written as its name.
#[derive(Debug, Clone, Copy)]
pub struct RankingName(pub u32);

/// The method of a ranking (by the ranking's position), written as the method name.
#[derive(Debug, Clone, Copy)]
pub struct MethodName(pub u32);

/// A value type that a column holds, and how a column of them is written.
pub trait Cell: Sized {
    fn column(values: Vec<Self>, dicts: &Dicts) -> Col;
    /// A column written right after this one, if the type has one: (its name, given
    /// the field's, and the column).
    fn beside(values: &[Self], field: &str, dicts: &Dicts) -> Option<(String, Col)> {
        let _ = (values, field, dicts);
        None
    }
}

macro_rules! plain_cells {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl Cell for $t {
            fn column(values: Vec<Self>, _: &Dicts) -> Col {
                Col::$variant(values)
            }
        }
    )*};
}

plain_cells! {
    String => Str,
    Option<String> => OptStr,
    u32 => U32,
    Option<u32> => OptU32,
    u64 => U64,
    f64 => F64,
    Option<f64> => OptF64,
    bool => Bool,
    Option<bool> => OptBool,
}

macro_rules! coded_cells {
    ($($t:ident => $dict:ident),* $(,)?) => {$(
        impl Cell for $t {
            fn column(values: Vec<Self>, dicts: &Dicts) -> Col {
                Col::dict(values.into_iter().map(|v| v.0).collect(), dicts.$dict.clone())
            }
        }
    )*};
}

coded_cells! {
    RankingName => rankings,
    MethodName => methods,
}

impl Cell for Account {
    fn column(values: Vec<Self>, dicts: &Dicts) -> Col {
        Col::dict(
            values.into_iter().map(|v| v.0).collect(),
            dicts.accounts.clone(),
        )
    }

    fn beside(values: &[Self], field: &str, dicts: &Dicts) -> Option<(String, Col)> {
        let name = match field {
            "account" => "label".to_string(),
            other => format!("{other}_label"),
        };
        let codes = values.iter().map(|v| v.0).collect();
        Some((name, Col::dict(codes, dicts.labels.clone())))
    }
}

/// Declares a table: `table! { /// doc  module_name = "table name" { field: Type, ... } }`
/// makes `module_name::Row` (the fields are the columns, in order) and
/// `module_name::Rows` (the column store: `push` a row, then `table` for the writer).
/// The doc comment is the table's [`about`](crate::output::tables::Table::about): what
/// the notebook says the table holds.
#[macro_export]
macro_rules! table {
    ($(#[doc = $doc:literal])* $module:ident = $name:literal {
        $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[doc = $doc])*
        pub mod $module {
            #[allow(unused_imports)]
            use super::*;

            /// One row: the fields are the columns, in order.
            pub struct Row {
                $($(#[$fdoc])* pub $field: $ty),*
            }

            /// The rows pushed so far, one vector per column.
            #[derive(Default)]
            pub struct Rows {
                $($field: Vec<$ty>),*
            }

            impl Rows {
                pub fn push(&mut self, row: Row) {
                    $(self.$field.push(row.$field);)*
                }

                /// The table, for [`write_table`]($crate::output::tables::write_table).
                pub fn table(
                    self,
                    dicts: &$crate::output::rows::Dicts,
                ) -> $crate::output::tables::Table<'static> {
                    use $crate::output::rows::Cell;
                    // The doc comment's lines, one space-separated sentence.
                    let about: &[&str] = &[$($doc),*];
                    let about: Vec<&str> = about.iter().map(|l| l.trim()).collect();
                    let mut t = $crate::output::tables::Table::new($name).about(&about.join(" "));
                    $(
                        let beside = <$ty as Cell>::beside(&self.$field, stringify!($field), dicts);
                        t = t.col(stringify!($field), <$ty as Cell>::column(self.$field, dicts));
                        if let Some((name, col)) = beside {
                            t = t.col(&name, col);
                        }
                    )*
                    t
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tables::write_csv;

    crate::table! {
        /// A test table.
        demo = "demo" {
            /// Who.
            account: Account,
            name: String,
            score: Option<f64>,
            ranking: RankingName,
        }
    }

    #[test]
    fn rows_become_columns_in_declared_order_with_codes_resolved() {
        let dicts = Dicts {
            accounts: Arc::new(Dictionary::new(["a", "b"])),
            labels: Arc::new(Dictionary::new(["Alice", "b"])),
            rankings: Arc::new(Dictionary::new(["pr"])),
            methods: Arc::new(Dictionary::new(["pagerank"])),
        };
        let mut rows = demo::Rows::default();
        for (i, score) in [(1u32, Some(0.5)), (0, None)] {
            rows.push(demo::Row {
                account: Account(i),
                name: format!("n{i}"),
                score,
                ranking: RankingName(0),
            });
        }
        let t = rows.table(&dicts);
        assert_eq!(t.height(), 2);
        assert_eq!(t.about, "A test table.");
        let mut csv = Vec::new();
        write_csv(&mut csv, &t).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "account,label,name,score,ranking\nb,b,n1,0.5,pr\na,Alice,n0,,pr\n"
        );
    }
}
