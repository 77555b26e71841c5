//! Member segments: live counts and charts of a definition, saved segments,
//! their member lists and CSV exports.

use patron_core::segments::{
    CountRequest, Segment, SegmentCharts, SegmentCount, SegmentDefinition, SegmentDraft,
    SegmentMemberPage, SegmentOptions,
};

use super::{client, ApiError};

/// How many members `definition` matches now.
pub async fn count(definition: SegmentDefinition) -> Result<SegmentCount, ApiError> {
    client::post("/analytics/segments/count", &CountRequest { definition }).await
}

/// The charts of `definition` (saved or not).
pub async fn charts(definition: SegmentDefinition) -> Result<SegmentCharts, ApiError> {
    client::post("/analytics/segments/charts", &CountRequest { definition }).await
}

/// The values the builder offers.
pub async fn options() -> Result<SegmentOptions, ApiError> {
    client::get("/analytics/segments/options").await
}

pub async fn list() -> Result<Vec<Segment>, ApiError> {
    client::get("/analytics/segments").await
}

pub async fn get(id: i64) -> Result<Segment, ApiError> {
    client::get(&format!("/analytics/segments/{id}")).await
}

/// Creates (`id = None`) or replaces a segment.
pub async fn save(id: Option<i64>, draft: SegmentDraft) -> Result<Segment, ApiError> {
    match id {
        Some(id) => client::put(&format!("/analytics/segments/{id}"), &draft).await,
        None => client::post("/analytics/segments", &draft).await,
    }
}

pub async fn delete(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/analytics/segments/{id}")).await
}

/// Recounts the segment now.
pub async fn refresh(id: i64) -> Result<Segment, ApiError> {
    client::post(&format!("/analytics/segments/{id}/refresh"), &()).await
}

pub async fn members(id: i64, offset: i64, limit: i64) -> Result<SegmentMemberPage, ApiError> {
    client::get(&format!(
        "/analytics/segments/{id}/members?offset={offset}&limit={limit}"
    ))
    .await
}

/// Where the browser downloads the segment's members as CSV.
pub fn members_csv_url(id: i64) -> String {
    client::url(&format!("/analytics/segments/{id}/members.csv"))
}
