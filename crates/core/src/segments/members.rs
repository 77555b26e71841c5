//! Who a definition matches: the live count, a segment's members a page at
//! a time, and the values the builder offers.

use crate::analytics::RfmSegment;

use super::definition::SegmentDefinition;

crate::__wire! {
    /// A definition to count (the builder's live count).
    pub struct CountRequest {
        pub definition: SegmentDefinition,
    }
}

crate::__wire! {
    /// How many members a definition matches, out of all members.
    #[derive(Copy, Eq)]
    pub struct SegmentCount {
        pub count: i64,
        pub total: i64,
        /// When the RFM and churn scores it may use were computed (unix
        /// seconds); `None` before the first run.
        pub scores_computed_at: Option<i64>,
    }
}

crate::__wire! {
    /// One member of a segment (list and export).
    pub struct SegmentMember {
        pub id: i64,
        pub name: String,
        pub email: String,
        pub card_number: String,
        pub tier: String,
        pub region: String,
        pub joined_at: i64,
        pub last_purchase_at: Option<i64>,
        pub rfm_segment: Option<RfmSegment>,
        pub churn_score: Option<i64>,
    }
}

crate::__wire! {
    /// A page of a segment's members.
    pub struct SegmentMemberPage {
        pub members: Vec<SegmentMember>,
        pub total: i64,
        pub offset: i64,
    }
}

crate::__wire! {
    /// The values the builder offers (what the data holds).
    pub struct SegmentOptions {
        /// (id, name), lowest tier first.
        #[cfg_attr(feature = "openapi", schema(schema_with = id_name_pairs))]
        pub tiers: Vec<(i64, String)>,
        pub regions: Vec<String>,
        pub cities: Vec<String>,
        pub age_bands: Vec<String>,
        pub genders: Vec<String>,
        pub occupations: Vec<String>,
        pub categories: Vec<String>,
        /// The RFM window of the stored scores (days).
        pub rfm_window_days: i64,
    }
}

/// `[[id, name], …]` in the contract: a two-item array of an integer and a
/// string, said in a way every OpenAPI 3.0 and 3.1 tool reads (utoipa's
/// own tuple form, `prefixItems`, is not read by all of them).
#[cfg(feature = "openapi")]
fn id_name_pairs() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
    let id_or_name = OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Integer).format(Some(
            utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int64),
        )))
        .item(ObjectBuilder::new().schema_type(Type::String));
    let pair = ArrayBuilder::new()
        .items(id_or_name)
        .min_items(Some(2))
        .max_items(Some(2));
    ArrayBuilder::new()
        .items(pair)
        .description(Some("(id, name), lowest tier first."))
        .build()
}
