//! How many distinct values a key has, estimated from its name: categorical names
//! (country, status, year) have few, entity identifiers (`user_id`, email, url,
//! word) have many, anything else is unknown. Config `low-cardinality-columns` and
//! `high-cardinality-columns` teach it a team's schema; they win over the names.

use super::{Cardinality, ModelOptions};

/// Words that name a categorical column.
const CATEGORICAL: &[&str] = &[
    "country",
    "countries",
    "region",
    "state",
    "status",
    "type",
    "kind",
    "category",
    "categories",
    "label",
    "class",
    "gender",
    "sex",
    "language",
    "lang",
    "locale",
    "year",
    "month",
    "day",
    "weekday",
    "dow",
    "hour",
    "minute",
    "date",
    "dt",
    "quarter",
    "week",
    "bucket",
    "bin",
    "tier",
    "flag",
    "level",
    "segment",
    "channel",
    "platform",
    "device",
    "currency",
    "env",
    "environment",
    "stage",
    "partition",
    "grade",
    "severity",
    "priority",
    "source",
    "mode",
    "phase",
    "group",
    "is",
    "has",
    "bool",
    "continent",
    "city",
    "zone",
];

/// Words that name an entity identifier.
const IDENTIFIER: &[&str] = &[
    "id",
    "ids",
    "uuid",
    "guid",
    "key",
    "user",
    "users",
    "customer",
    "customers",
    "account",
    "accounts",
    "session",
    "sessions",
    "email",
    "emails",
    "ip",
    "url",
    "urls",
    "uri",
    "word",
    "words",
    "token",
    "tokens",
    "term",
    "terms",
    "doc",
    "docs",
    "document",
    "product",
    "products",
    "item",
    "items",
    "order",
    "orders",
    "sku",
    "skus",
    "uid",
    "userid",
    "hash",
    "visitor",
    "member",
    "phone",
    "address",
    "path",
    "query",
    "transaction",
    "txn",
    "timestamp",
    "ts",
];

/// Spark functions whose value has few distinct values per batch.
pub const CATEGORICAL_FUNCTIONS: &[&str] = &[
    "spark_partition_id",
    "input_file_name",
    "year",
    "month",
    "dayofmonth",
    "dayofweek",
    "dayofyear",
    "weekofyear",
    "quarter",
    "hour",
    "minute",
    "to_date",
    "date_trunc",
    "trunc",
    "window",
];

/// The words of a column name: `userId`, `user_id`, `User ID` → user, id.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The estimated cardinality of a column (or key expression) named `name`.
pub fn cardinality(name: &str, options: &ModelOptions) -> Cardinality {
    let name = name
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`');
    let lower = name.to_lowercase();
    // The column part of `t.user_id` or `row.country`.
    let column = lower.rsplit('.').next().unwrap_or(&lower);
    let listed = |list: &[String]| {
        list.iter()
            .any(|c| c.to_lowercase() == column || c.to_lowercase() == lower)
    };
    if listed(&options.high_cardinality) {
        return Cardinality::High;
    }
    if listed(&options.low_cardinality) {
        return Cardinality::Low;
    }
    let words = words(name.rsplit('.').next().unwrap_or(name));
    let Some(last) = words.last() else {
        return Cardinality::Unknown;
    };
    // The last word names what the column is: `user_type` is a type, `country_id`
    // an identifier.
    if IDENTIFIER.contains(&last.as_str()) {
        return Cardinality::High;
    }
    if CATEGORICAL.contains(&last.as_str()) {
        return Cardinality::Low;
    }
    if words.iter().any(|w| IDENTIFIER.contains(&w.as_str())) {
        return Cardinality::High;
    }
    if words.iter().any(|w| CATEGORICAL.contains(&w.as_str())) {
        return Cardinality::Low;
    }
    Cardinality::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(name: &str) -> Cardinality {
        cardinality(name, &ModelOptions::default())
    }

    #[test]
    fn names_say_how_many_values() {
        assert_eq!(card("country"), Cardinality::Low);
        assert_eq!(card("event_type"), Cardinality::Low);
        assert_eq!(card("userType"), Cardinality::Low);
        assert_eq!(card("user_id"), Cardinality::High);
        assert_eq!(card("userId"), Cardinality::High);
        assert_eq!(card("id"), Cardinality::High);
        assert_eq!(card("email"), Cardinality::High);
        assert_eq!(card("country_id"), Cardinality::High);
        assert_eq!(card("r.word"), Cardinality::High);
        assert_eq!(card("amount"), Cardinality::Unknown);
        assert_eq!(card("e[0]"), Cardinality::Unknown);
        assert_eq!(card("paid"), Cardinality::Unknown);
    }

    #[test]
    fn config_lists_win() {
        let options = ModelOptions {
            low_cardinality: std::sync::Arc::new(vec!["store_id".into()]),
            high_cardinality: std::sync::Arc::new(vec!["Region".into()]),
            ..ModelOptions::default()
        };
        assert_eq!(cardinality("store_id", &options), Cardinality::Low);
        assert_eq!(cardinality("region", &options), Cardinality::High);
    }
}
